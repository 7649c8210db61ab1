/**
 * Filtering a list (announcements, recalls) by facets read from a plain GET query: each facet is a value
 * the reader picks (类别, 年份, 地区) and a rule giving the values a record holds (an announcement on
 * 「开关插座、移动电源」 holds two categories). Option counts follow the other facets chosen, so that an
 * option such as 「2005年（1）」 lists exactly that one record when picked.
 */
export interface FacetOption<T> {
  value: T;
  count: number;
}

/** For each facet key, the values a record holds. */
export type FacetRules<R, F> = { [K in keyof F]-?: (record: R) => readonly NonNullable<F[K]>[] };

/** Whether a record holds every chosen value, leaving out facet `ignored` (whose own options are being counted). */
export function matchesFacets<R, F extends object>(
  record: R,
  rules: FacetRules<R, F>,
  chosen: Partial<F>,
  ignored?: keyof F,
): boolean {
  for (const key of Object.keys(rules) as (keyof F)[]) {
    const value = chosen[key];
    if (key === ignored || value === undefined || value === null) continue;
    if (!rules[key](record).includes(value as NonNullable<F[typeof key]>)) return false;
  }
  return true;
}

/** Most records first, then in Chinese collation order: the order for options without one of their own. */
export function byCountThenName<T>(a: FacetOption<T>, b: FacetOption<T>): number {
  return b.count - a.count || String(a.value).localeCompare(String(b.value), 'zh-CN');
}

/**
 * The options of facet `key`: the values held by the records that pass the other chosen facets, with how many
 * records each would list. The chosen value is kept, with 0, when no record holds it, so the page can still
 * show it as selected and removable.
 */
export function facetOptions<R, F extends object, K extends keyof F>(
  records: readonly R[],
  rules: FacetRules<R, F>,
  chosen: Partial<F>,
  key: K,
  order: (a: FacetOption<NonNullable<F[K]>>, b: FacetOption<NonNullable<F[K]>>) => number = byCountThenName,
): FacetOption<NonNullable<F[K]>>[] {
  const counts = new Map<NonNullable<F[K]>, number>();
  for (const record of records) {
    if (!matchesFacets(record, rules, chosen, key)) continue;
    for (const value of new Set(rules[key](record))) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const picked = chosen[key];
  if (picked !== undefined && picked !== null && !counts.has(picked)) counts.set(picked, 0);
  return [...counts].map(([value, count]) => ({ value, count })).sort(order);
}

/** How a chosen facet reads on its removable chip: 「类别：头盔」, 「年份：2019年」. */
const CHIP_LABELS: Record<string, { label: string; unit?: string }> = {
  category: { label: '类别' },
  year: { label: '年份', unit: '年' },
  region: { label: '地区' },
  stage: { label: '环节' },
};

export interface ActiveFilterChip {
  label: string;
  /** The list without this filter, from its first page. */
  href: string;
}

/** The chosen facets (in `keys` order) as chips, each linking to the list without it. */
export function activeFilterChips<F extends object>(
  chosen: F,
  keys: readonly (keyof F & string)[],
  listWithout: (key: keyof F & string) => string,
): ActiveFilterChip[] {
  return keys.flatMap((key) => {
    const value = chosen[key];
    if (value === undefined || value === null) return [];
    const { label, unit = '' } = CHIP_LABELS[key] ?? { label: key };
    return [{ label: `${label}：${String(value)}${unit}`, href: listWithout(key) }];
  });
}
