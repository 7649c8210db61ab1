/**
 * The route cache of this process (astro.config.mjs `cache.provider`): Astro's in-memory cache, told
 * by the public catalogue which pages a content change makes old.
 *
 * Public pages tag their answer with what they read (the live loaders' cache hints in
 * src/live.config.ts: `content:announcements` for a page that lists announcements,
 * `content:announcements/<slug>` for one item's page, and `catalogue:<version>` for the catalogue
 * version they were rendered from). When a new catalogue is in service, the tags of what changed are
 * invalidated here — in every process, since each process's catalogue follows the store itself.
 *
 * A page still rendering from the previous catalogue when the new one arrives would be stored after
 * the invalidation and live on. So each tag also remembers the catalogue version that last
 * invalidated it, and a cached page rendered from an older version than that is rendered again
 * instead of served.
 */
import type { CacheProvider, CacheProviderFactory } from 'astro';
import memoryCache, { type MemoryCacheProviderOptions } from 'astro/cache/memory';
import { catalogueChanges, outdated } from '~/lib/publishing/catalogue';
import { announcementFilterSchema } from '~/lib/sampling/announcement-filter';
import { recallFilterSchema } from '~/lib/sampling/recall-filter';
import { onCatalogueChange } from '~/server/content/catalogue';

/** The tags of a cached answer (Astro's memory cache keeps them in the `Cache-Tag` header). */
const tagsOf = (response: Response) =>
  (response.headers.get('Cache-Tag') ?? '')
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);

/** Whether the memory cache answered without rendering (a fresh or a stale copy). */
const fromCache = (response: Response) => ['HIT', 'STALE'].includes(response.headers.get('X-Astro-Cache') ?? '');

/** The path and query as the memory cache keys them (keyed parameters only, sorted). */
function cacheKeyPath(url: URL): string {
  const query = new URLSearchParams();
  for (const [name, value] of url.searchParams) if (KEYED_PARAMETERS.includes(name)) query.append(name, value);
  query.sort();
  const text = query.toString();
  return `${url.pathname}${text ? `?${text}` : ''}`;
}

/**
 * The query parameters that make a different page: the list filters and paging (from the filters'
 * schemas, so a filter added there is keyed too). Every other parameter is left out of the key, so
 * `/?anything=…` cannot fill the cache with copies of one page.
 */
const KEYED_PARAMETERS = [
  ...new Set([...Object.keys(announcementFilterSchema.shape), ...Object.keys(recallFilterSchema.shape), 'page']),
];

const pageCache: CacheProviderFactory<MemoryCacheProviderOptions> = (config) => {
  const memory = memoryCache({ ...config, query: { include: KEYED_PARAMETERS } });
  const invalidatedAt = new Map<string, number>();

  onCatalogueChange((catalogue, previous) => {
    const tags = catalogueChanges(previous, catalogue);
    for (const tag of tags) invalidatedAt.set(tag, catalogue.version);
    memory.invalidate({ tags }).catch((error: unknown) => console.error('[cache] 清除页面缓存失败', error));
  });

  const provider: CacheProvider = {
    name: 'portal-memory',
    async onRequest(context, next) {
      const response = await memory.onRequest!(context, next);
      if (!fromCache(response) || !outdated(tagsOf(response), invalidatedAt)) return response;
      await memory.invalidate({ path: cacheKeyPath(context.url) });
      const again = await memory.onRequest!(context, next);
      // Only a URL whose key the memory cache spells differently can still hit: render it uncached.
      return fromCache(again) ? next() : again;
    },
    invalidate: (options) => memory.invalidate(options),
  };
  return provider;
};

export default pageCache;
