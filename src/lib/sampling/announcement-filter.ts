/**
 * Filtering the announcement list by category group, year, region and stage from query parameters,
 * so the filters work as a plain GET form without JavaScript.
 */
import { z } from 'zod';
import { STAGES, type Announcement, type Stage } from '~/lib/content-schemas';
import { ALL_CATEGORY_GROUPS, categoryGroupsOf, type CategoryGroup } from './category-groups';
import { facetOptions, matchesFacets, type FacetOption, type FacetRules } from './facets';

export const PAGE_SIZE = 20;

/** Unknown values are dropped rather than refused: a stale bookmarked filter should still show a list. */
export const announcementFilterSchema = z.object({
  category: z
    .enum(ALL_CATEGORY_GROUPS as readonly [CategoryGroup, ...CategoryGroup[]])
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

type FilterableAnnouncement = Pick<
  Announcement,
  'category' | 'title' | 'failedProducts' | 'date' | 'region' | 'stages'
>;

type Chosen = Omit<AnnouncementFilter, 'page'>;

const RULES: FacetRules<FilterableAnnouncement, Chosen> = {
  category: categoryGroupsOf,
  year: (a) => (a.date.year ? [a.date.year] : []),
  region: (a) => [a.region],
  stage: (a) => a.stages,
};

export function matchesFilter(announcement: FilterableAnnouncement, filter: Partial<AnnouncementFilter>): boolean {
  return matchesFacets(announcement, RULES, filter);
}

export interface AnnouncementFacets {
  categories: FacetOption<CategoryGroup>[];
  years: FacetOption<number>[];
  regions: FacetOption<string>[];
  stages: FacetOption<Stage>[];
}

/**
 * The options each filter offers, with how many announcements choosing it would list given the other
 * filters already chosen, so that no option promises results it does not give.
 */
export function announcementFacets(
  announcements: readonly FilterableAnnouncement[],
  filter: Partial<AnnouncementFilter> = {},
): AnnouncementFacets {
  const options = <K extends keyof Chosen>(
    key: K,
    order?: (a: FacetOption<NonNullable<Chosen[K]>>, b: FacetOption<NonNullable<Chosen[K]>>) => number,
  ) => facetOptions(announcements, RULES, filter, key, order);
  return {
    categories: options(
      'category',
      (a, b) => ALL_CATEGORY_GROUPS.indexOf(a.value) - ALL_CATEGORY_GROUPS.indexOf(b.value),
    ),
    years: options('year', (a, b) => b.value - a.value),
    regions: options('region'),
    stages: options('stage', (a, b) => STAGES.indexOf(a.value) - STAGES.indexOf(b.value)),
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

/**
 * The 「查看同类」 links of an announcement: the list filtered by each category group the filter finds it
 * under, so a notice on 「开关插座、移动电源」 offers both 插头插座 and 移动电源.
 */
export function similarAnnouncementsQueries(
  announcement: Pick<Announcement, 'category' | 'title' | 'failedProducts'>,
): { group: CategoryGroup; query: string }[] {
  return categoryGroupsOf(announcement).map((group) => ({ group, query: filterQuery({ category: group }) }));
}
