/**
 * Filtering the recall list by product group, year and region from query parameters, so the filters work
 * as a plain GET form without JavaScript. Like the announcement list: unknown values are dropped, and the
 * work per request is one pass over the recalls whatever the query string holds.
 */
import { z } from 'zod';
import type { Recall } from '~/lib/content-schemas';
import { parsePageNumber } from '~/lib/paging';
import { ALL_CATEGORY_GROUPS, recallCategoryGroups, type CategoryGroup } from './category-groups';
import { facetOptions, matchesFacets, type FacetOption, type FacetRules } from './facets';

export const RECALL_PAGE_SIZE = 15;

/** The region option of a recall whose source names none. */
export const UNKNOWN_REGION = '未注明地区';

/**
 * The province (or 全国, 进口) a recall's region belongs to: 「广东省汕头市」 and 「广东省中山市」 are one option,
 * 「上海市（进口，原产中国台湾）」 is 上海市, 「进口（原产国韩国）」 is 进口.
 */
export function recallRegion(region: string | null): string {
  const trimmed = region?.trim();
  if (!trimmed) return UNKNOWN_REGION;
  if (trimmed.startsWith('全国')) return '全国';
  if (trimmed.startsWith('进口')) return '进口';
  const province = /^(.{2,8}?(?:自治区|特别行政区|省|市))/.exec(trimmed);
  return province?.[1] ?? trimmed.replace(/[（(].*$/, '');
}

const text = z.string().trim().min(1).max(40);

export const recallFilterSchema = z.object({
  category: z
    .enum(ALL_CATEGORY_GROUPS as readonly [CategoryGroup, ...CategoryGroup[]])
    .optional()
    .catch(undefined),
  year: z.coerce.number().int().min(1990).max(2100).optional().catch(undefined),
  region: text.optional().catch(undefined),
});

export type RecallFilter = z.output<typeof recallFilterSchema> & { page: number };

export function parseRecallFilter(params: URLSearchParams): RecallFilter {
  const read = (key: string) => params.get(key)?.trim() || undefined;
  return {
    ...recallFilterSchema.parse({ category: read('category'), year: read('year'), region: read('region') }),
    page: parsePageNumber(params.get('page')),
  };
}

type FilterableRecall = Pick<Recall, 'product' | 'title' | 'date' | 'region'>;
type Chosen = Omit<RecallFilter, 'page'>;

const RULES: FacetRules<FilterableRecall, Chosen> = {
  category: recallCategoryGroups,
  year: (r) => (r.date.year ? [r.date.year] : []),
  region: (r) => [recallRegion(r.region)],
};

export function matchesRecallFilter(recall: FilterableRecall, filter: Partial<RecallFilter>): boolean {
  return matchesFacets(recall, RULES, filter);
}

export interface RecallFacets {
  categories: FacetOption<CategoryGroup>[];
  years: FacetOption<number>[];
  regions: FacetOption<string>[];
}

/** The options of each filter, counted among the recalls the other chosen filters leave. */
export function recallFacets(recalls: readonly FilterableRecall[], filter: Partial<RecallFilter> = {}): RecallFacets {
  return {
    categories: facetOptions(
      recalls,
      RULES,
      filter,
      'category',
      (a, b) => ALL_CATEGORY_GROUPS.indexOf(a.value) - ALL_CATEGORY_GROUPS.indexOf(b.value),
    ),
    years: facetOptions(recalls, RULES, filter, 'year', (a, b) => b.value - a.value),
    regions: facetOptions(recalls, RULES, filter, 'region'),
  };
}

/** Query string for a recall filter, keeping only set values, for pagination and 「移除」 links. */
export function recallFilterQuery(filter: Partial<RecallFilter>): string {
  const params = new URLSearchParams();
  if (filter.category) params.set('category', filter.category);
  if (filter.year) params.set('year', String(filter.year));
  if (filter.region) params.set('region', filter.region);
  if (filter.page && filter.page > 1) params.set('page', String(filter.page));
  const query = params.toString();
  return query ? `?${query}` : '';
}
