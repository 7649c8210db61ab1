/**
 * The Content-Security-Policy of each prerendered page, as the build wrote it. With the Node
 * adapter's `staticHeaders` (astro.config.mjs), Astro leaves the policy out of prerendered pages'
 * <meta> and lists it per route in `dist/_headers.json` instead, so that it reaches browsers as a
 * header like on on-demand pages: a <meta> policy cannot carry frame-ancestors (browsers log an error
 * for it). Our entry serves `dist/client` itself, so it sends these headers itself.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const headersFileSchema = z.array(
  z.object({
    pathname: z.string(),
    headers: z.array(z.object({ key: z.string(), value: z.string() })),
  }),
);

/** `/a/b/`, `/a/b/index.html` and `/a/b.html` all name the route `/a/b`; the home page is `/`. */
function routeOf(pathname: string): string {
  const route = pathname
    .replace(/\/index\.html$/, '')
    .replace(/\.html$/, '')
    .replace(/\/+$/, '');
  return route === '' ? '/' : route;
}

export interface StaticPagePolicies {
  /** The policy of the page served for this request path, or undefined for files that are not pages. */
  forPath(pathname: string): string | undefined;
}

/** Reads `_headers.json` from the build folder (the parent of `dist/client`) once, at start. */
export function loadStaticPagePolicies(buildFolder: URL): StaticPagePolicies {
  const entries = headersFileSchema.parse(JSON.parse(readFileSync(new URL('_headers.json', buildFolder), 'utf8')));
  const byRoute = new Map<string, string>();
  for (const entry of entries) {
    const policy = entry.headers.find((header) => header.key.toLowerCase() === 'content-security-policy');
    if (policy) byRoute.set(routeOf(entry.pathname), policy.value);
  }
  return { forPath: (pathname) => byRoute.get(routeOf(pathname)) };
}
