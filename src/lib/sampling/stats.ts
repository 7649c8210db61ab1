/**
 * Pass rates and failure counts for the statistics page, computed the way a statistics office would:
 * - a rate uses only announcements whose source gave BOTH batches sampled and batches failed;
 *   every record left out is counted and listed with its reason, never silently dropped;
 * - a group's rate pools batches, (Σ sampled − Σ failed) / Σ sampled, so a 20-batch district check
 *   does not weigh as much as a 1,000-batch provincial one;
 * - national, Shanghai and other regions are never pooled: a 28,265-batch national report would
 *   drown every local figure;
 * - made-up example records (示例) are never counted.
 */
import type { Announcement } from '~/lib/content-schemas';
import { ALL_CATEGORY_GROUPS, categoryGroup, MIXED_GROUP, OTHER_GROUP, type CategoryGroup } from './category-groups';
import { passRate } from './pass-rate';

export const SCOPES = [
  { id: 'shanghai', label: '上海市', slug: '' },
  { id: 'national', label: '全国', slug: 'national' },
  { id: 'other', label: '其他地区', slug: 'other-regions' },
] as const;

export type ScopeId = (typeof SCOPES)[number]['id'];
export type Scope = (typeof SCOPES)[number];

/** Shanghai's districts, for records whose region names only the district ("青浦区"). */
const SHANGHAI_DISTRICTS = [
  '黄浦',
  '徐汇',
  '长宁',
  '静安',
  '普陀',
  '虹口',
  '杨浦',
  '闵行',
  '宝山',
  '嘉定',
  '浦东新',
  '金山',
  '松江',
  '青浦',
  '奉贤',
  '崇明',
];
const BARE_SHANGHAI_DISTRICT = new RegExp(`^(?:${SHANGHAI_DISTRICTS.join('|')})区$`);

/**
 * Which scope a region belongs to. "全国（9个省市）" is national; a bare district name counts as Shanghai,
 * but "舟山市普陀区" names its own city and does not.
 */
/** The scope of a statistics address part (`/stats/<slug>/`; '' is the default scope), or null. */
export function scopeOfSlug(slug: string): ScopeId | null {
  return SCOPES.find((scope) => scope.slug === slug)?.id ?? null;
}

export function scopeOfRegion(region: string): ScopeId {
  const trimmed = region.trim();
  if (trimmed.startsWith('全国')) return 'national';
  if (trimmed.includes('上海') || BARE_SHANGHAI_DISTRICT.test(trimmed)) return 'shanghai';
  return 'other';
}

/** The smallest total below which a rate is shown with a warning: one failure moves it by over 3 points. */
export const SMALL_SAMPLE_BATCHES = 30;

export type StatsRecord = {
  id: string;
  data: Pick<Announcement, 'title' | 'category' | 'region' | 'date' | 'batches' | 'example'>;
};

export interface SamplingTally {
  /** Announcements pooled into this figure. */
  announcements: number;
  sampled: number;
  failed: number;
  /** (sampled − failed) / sampled; null when nothing was sampled. */
  passRate: number | null;
  /** Fewer than SMALL_SAMPLE_BATCHES batches: the rate swings with a single failure. */
  smallSample: boolean;
}

export interface CategoryRow extends SamplingTally {
  group: CategoryGroup;
  /** The sources' own category wordings pooled into the group, for the reader to check the grouping. */
  wordings: string[];
}

export interface YearRow extends SamplingTally {
  year: number;
}

export type ExclusionReason = 'example' | 'missingBatches';

export interface ExcludedRecord {
  id: string;
  title: string;
  reason: ExclusionReason;
}

export const EXCLUSION_REASONS: Record<ExclusionReason, string> = {
  example: '示例数据，不是真实抽查结果',
  missingBatches: '来源未同时公布抽查批次数和不合格批次数',
};

export interface ScopeStats {
  scope: Scope;
  /** All announcements of the scope, counted or not. */
  announcements: number;
  total: SamplingTally;
  /** Specific groups by pass rate, lowest first; then 多类产品综合 and 其他产品, which are not comparable. */
  byCategory: CategoryRow[];
  /** Every year from the first to the last with data, empty years included so that gaps stay visible. */
  byYear: YearRow[];
  excluded: ExcludedRecord[];
  /** Counted announcements left out of the year table because the source gives no year. */
  undated: { id: string; title: string }[];
}

function tally(records: readonly StatsRecord[]): SamplingTally {
  let sampled = 0;
  let failed = 0;
  for (const record of records) {
    sampled += record.data.batches.sampled ?? 0;
    failed += record.data.batches.failed ?? 0;
  }
  return {
    announcements: records.length,
    sampled,
    failed,
    passRate: sampled > 0 ? (sampled - failed) / sampled : null,
    smallSample: sampled < SMALL_SAMPLE_BATCHES,
  };
}

function exclusionReason(record: StatsRecord): ExclusionReason | null {
  if (record.data.example) return 'example';
  if (passRate(record.data.batches.sampled, record.data.batches.failed) === null) return 'missingBatches';
  return null;
}

const catchAllGroups: readonly CategoryGroup[] = [MIXED_GROUP, OTHER_GROUP];

/** 多类产品综合 and 其他产品 pool unlike products: they are shown after the ranking, not in it. */
export function isCatchAllGroup(group: CategoryGroup): boolean {
  return catchAllGroups.includes(group);
}

function byCategory(records: readonly StatsRecord[]): CategoryRow[] {
  const groups = new Map<CategoryGroup, StatsRecord[]>();
  for (const record of records) {
    const group = categoryGroup(record.data.category);
    groups.set(group, [...(groups.get(group) ?? []), record]);
  }
  const rows = [...groups].map(([group, members]) => ({
    group,
    wordings: [...new Set(members.map((m) => m.data.category))],
    ...tally(members),
  }));
  const order = (row: CategoryRow) => catchAllGroups.indexOf(row.group);
  return rows.sort(
    (a, b) =>
      order(a) - order(b) ||
      (a.passRate ?? 1) - (b.passRate ?? 1) ||
      b.sampled - a.sampled ||
      ALL_CATEGORY_GROUPS.indexOf(a.group) - ALL_CATEGORY_GROUPS.indexOf(b.group),
  );
}

function byYear(records: readonly StatsRecord[]): YearRow[] {
  const years = records.flatMap((r) => (r.data.date.year === undefined ? [] : [r.data.date.year]));
  if (years.length === 0) return [];
  const first = Math.min(...years);
  const last = Math.max(...years);
  const rows: YearRow[] = [];
  for (let year = first; year <= last; year++) {
    rows.push({ year, ...tally(records.filter((r) => r.data.date.year === year)) });
  }
  return rows;
}

/** Statistics of one scope. Pure: the page passes in the announcements collection. */
export function scopeStats(all: readonly StatsRecord[], scopeId: ScopeId): ScopeStats {
  const scope = SCOPES.find((s) => s.id === scopeId) ?? SCOPES[0];
  const inScope = all.filter((r) => scopeOfRegion(r.data.region) === scope.id);
  const counted: StatsRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  for (const record of inScope) {
    const reason = exclusionReason(record);
    if (reason) excluded.push({ id: record.id, title: record.data.title, reason });
    else counted.push(record);
  }
  return {
    scope,
    announcements: inScope.length,
    total: tally(counted),
    byCategory: byCategory(counted),
    byYear: byYear(counted),
    excluded,
    undated: counted.filter((r) => r.data.date.year === undefined).map((r) => ({ id: r.id, title: r.data.title })),
  };
}
