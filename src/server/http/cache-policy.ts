/**
 * How long browsers and proxies may keep a static file. Fingerprinted files (Astro's `/_astro/`
 * bundles, Pagefind's hashed index chunks) never change under their name, so they are kept for a
 * year without asking again; everything else (pages, Pagefind's fixed-name entry files, favicon …)
 * is revalidated on each use, so a new build is seen at once.
 */
const YEAR_IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'public, max-age=0, must-revalidate';

export function cacheControlFor(pathname: string): string {
  if (pathname.startsWith('/_astro/')) return YEAR_IMMUTABLE;
  // Pagefind names its chunks by content hash (fragment/, index/, filter/, *.pf_meta), but not
  // pagefind.js, pagefind-ui.*, pagefind-entry.json or the wasm files.
  if (/^\/pagefind\/(fragment|index|filter)\//.test(pathname) || /^\/pagefind\/[^/]+\.pf_meta$/.test(pathname))
    return YEAR_IMMUTABLE;
  return REVALIDATE;
}

/**
 * Feeds and other answers that follow the content live: a browser or feed reader may reuse one for
 * 30 s, so a publication still reaches every reader within the minute the portal promises (the
 * server's own route cache is invalidated at once, see src/server/content/page-cache.ts).
 */
export const PUBLIC_PAGE_CACHE_CONTROL = 'public, max-age=30';

/**
 * A sharing card: under its versioned address (`card.png?v=<hash of the card>`) the bytes never
 * change, so it is kept a year; under any other address (no or an old version) it follows the
 * content like a page.
 */
export function shareCardCacheControl(versionMatches: boolean): string {
  return versionMatches ? YEAR_IMMUTABLE : PUBLIC_PAGE_CACHE_CONTROL;
}
