/**
 * Reading the public content the way pages need it: the live collections of src/live.config.ts (the
 * catalogue of sample and published content, already sorted there once per content version), with
 * each read telling the route cache what the page depends on. Pages stay thin; the arithmetic lives
 * in `lib/` and is unit-tested there.
 */
import type { CacheOptions } from 'astro';
import { getLiveCollection, getLiveEntry, type CollectionEntry } from 'astro:content';
import type { CatalogueEntry } from '~/lib/publishing/catalogue';
import type { PublicationKind } from '~/lib/publishing/model';
import type { CatalogueFilter } from '~/live.config';

export type AnnouncementEntry = CatalogueEntry<'announcements'>;
export type ExplanationEntry = CatalogueEntry<'explanations'>;
export type RecallEntry = CatalogueEntry<'recalls'>;
export type PlanEntry = CollectionEntry<'plans'>;

/** `Astro.cache` (or an endpoint's `context.cache`): where a page's cache tags are collected. */
export interface PageCache {
  set(options: CacheOptions): void;
}

/**
 * How long a rendered public page is kept. A content change invalidates the pages it touches at once
 * (src/server/content/page-cache.ts), so this only bounds how long an untouched page lives; past it,
 * one more reader gets the old copy while a new one is rendered.
 */
const PAGE_LIFETIME: CacheOptions = { maxAge: 3600, swr: 86_400 };

const liveCollectionOf = {
  announcements: 'publishedAnnouncements',
  explanations: 'publishedExplanations',
  recalls: 'publishedRecalls',
} as const;

/**
 * The listed entries of a kind (withdrawn ones left out), in catalogue order. The live loaders hand
 * out the catalogue's own entries (no schema reparses them), so revisions and withdrawal are there.
 */
async function listedEntries<K extends PublicationKind>(
  kind: K,
  cache: PageCache,
  filter: CatalogueFilter = {},
): Promise<CatalogueEntry<K>[]> {
  const { entries, error, cacheHint } = await getLiveCollection(liveCollectionOf[kind], filter);
  if (error) throw error;
  cache.set({ ...PAGE_LIFETIME, ...cacheHint });
  return entries as unknown as CatalogueEntry<K>[];
}

/** Newest first (the source's day, else the day this portal first published it). */
export const announcementsNewestFirst = (cache: PageCache) => listedEntries('announcements', cache);
export const recallsNewestFirst = (cache: PageCache) => listedEntries('recalls', cache);
/** By test item, in pinyin order. */
export const explanationsByItem = (cache: PageCache) => listedEntries('explanations', cache);

/** Every entry of a kind, withdrawn ones too: for when its feed last changed. */
export const everyEntry = <K extends PublicationKind>(kind: K, cache: PageCache) =>
  listedEntries(kind, cache, { withdrawn: 'include' });

/** One item, withdrawn or not, with its revisions; null when there is no such item. */
export async function publicEntry<K extends PublicationKind>(
  kind: K,
  slug: string,
  cache: PageCache,
): Promise<CatalogueEntry<K> | null> {
  const { entry, error, cacheHint } = await getLiveEntry(liveCollectionOf[kind], slug);
  // Astro's LiveEntryNotFoundError, which astro:content does not export.
  if (error?.name === 'LiveEntryNotFoundError') return null;
  if (error || !entry) throw error ?? new Error(`${kind}/${slug}: 无法读取`);
  cache.set({ ...PAGE_LIFETIME, ...cacheHint });
  return entry as unknown as CatalogueEntry<K>;
}
