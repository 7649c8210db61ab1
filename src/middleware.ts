/**
 * Site-wide request middleware. Every state-changing request (any method but GET/HEAD/OPTIONS),
 * whatever its content type, is refused with 403 CROSS_SITE when it comes from another site.
 * (Astro's own `checkOrigin` only covers form content types and is turned off in astro.config.mjs.)
 * The security headers of every answer are set by the server entry (src/server/entry/serve.ts); the
 * staff preview frame alone may be framed by the portal's own preview page.
 * Pages rendered from the live catalogue (those that tagged themselves for the route cache) are
 * revalidated by browsers on each use, as static pages are, unless they chose a lifetime themselves:
 * a publication must reach a reader who reloads.
 */
import { defineMiddleware } from 'astro:middleware';
import { routePatterns } from './paths';
import { refuseCrossSite } from './server/http/cross-site';
import { REVALIDATE } from './server/http/cache-policy';
import { allowSameOriginFraming } from './server/http/security-headers';

export const onRequest = defineMiddleware(async (context, next) => {
  const refused = refuseCrossSite(context.request);
  if (refused) return refused;
  const response = await next();
  if (context.cache.tags.length > 0 && !response.headers.has('cache-control'))
    response.headers.set('cache-control', REVALIDATE);
  return routePatterns.adminPreviewFrame.test(context.url.pathname) ? allowSameOriginFraming(response) : response;
});
