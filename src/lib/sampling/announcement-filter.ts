/**
 * Filtering the announcement list by category group, year, region and stage from query parameters,
 * so the filters work as a plain GET form without JavaScript.
 */
import { z } from 'zod';
import { STAGES, type Announcement, type Stage } from '~/lib/content-schemas';
import { ALL_CATEGORY_GROUPS, categoryGroup, type CategoryGroup } from './category-groups';

export const PAGE_SIZE = 20;

/** Unknown values are dropped rather than refused: a stale bookmarked filter should still show a list. */
export const announcementFilterSchema = z.object({
  category: z
    .string()
    .refine((value) => (ALL_CATEGORY_GROUPS as readonly string[]).includes(value))
    .optional()
    .catch(undefined),
  year: z.coerce.number().int().min(1990).max(2100).optional().catch(undefined),
  region: z.string().trim().min(1).max(40).optional().catch(undefined),
  stage: z.enum(STAGES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

export type AnnouncementFilter = z.output<typeof announcementFilterSchema>;

export function parseAnnouncementFilter(params: URLSearchParams): AnnouncementFilter {
  const read = (key: string) => params.get(key)?.trim() || undefined;
  return announcementFilterSchema.parse({
    category: read('category'),
    year: read('year'),
    region: read('region'),
    stage: read('stage'),
    page: read('page'),
  });
}

export function matchesFilter(announcement: Announcement, filter: AnnouncementFilter): boolean {
  if (filter.category && categoryGroup(announcement.category) !== filter.category) return false;
  if (filter.year && announcement.date.year !== filter.year) return false;
  if (filter.region && announcement.region !== filter.region) return false;
  if (filter.stage && !announcement.stages.includes(filter.stage)) return false;
  return true;
}

export interface FacetOption<T> {
  value: T;
  count: number;
}

export interface AnnouncementFacets {
  categories: FacetOption<CategoryGroup>[];
  years: FacetOption<number>[];
  regions: FacetOption<string>[];
  stages: FacetOption<Stage>[];
}

function countBy<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** The options each filter offers, with how many announcements each holds. */
export function announcementFacets(announcements: readonly Announcement[]): AnnouncementFacets {
  const categories = countBy(announcements.map((a) => categoryGroup(a.category)));
  const years = countBy(announcements.flatMap((a) => (a.date.year ? [a.date.year] : [])));
  const regions = countBy(announcements.map((a) => a.region));
  const stages = countBy(announcements.flatMap((a) => a.stages));
  return {
    categories: ALL_CATEGORY_GROUPS.filter((g) => categories.has(g)).map((value) => ({
      value,
      count: categories.get(value)!,
    })),
    years: [...years].sort((a, b) => b[0] - a[0]).map(([value, count]) => ({ value, count })),
    regions: [...regions]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'))
      .map(([value, count]) => ({ value, count })),
    stages: STAGES.filter((s) => stages.has(s)).map((value) => ({ value, count: stages.get(value)! })),
  };
}

/** Query string for a filter, keeping only set values, for pagination and "remove filter" links. */
export function filterQuery(filter: Partial<AnnouncementFilter>): string {
  const params = new URLSearchParams();
  if (filter.category) params.set('category', filter.category);
  if (filter.year) params.set('year', String(filter.year));
  if (filter.region) params.set('region', filter.region);
  if (filter.stage) params.set('stage', filter.stage);
  if (filter.page && filter.page > 1) params.set('page', String(filter.page));
  const query = params.toString();
  return query ? `?${query}` : '';
}
