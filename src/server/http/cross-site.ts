/**
 * The cross-site refusal used by `src/middleware.ts` for every non-GET request, and by routes that
 * check again on their own (the staff guard, the assistant's API): one implementation for all.
 */
import { checkSameOrigin, isStateChanging, type OriginVerdict } from '../../lib/http/origin-check';
import { serverConfig } from '../config';
import { errorResponse } from '../voting/http';

/** The scheme the request arrived over (as Astro saw it) with the `Host` header it was sent with. */
function requestOriginOf(request: Request): string | null {
  const host = request.headers.get('host');
  return host ? `${new URL(request.url).protocol}//${host}` : null;
}

/** Whether the request may proceed; GET/HEAD/OPTIONS always may. */
export function crossSiteVerdict(request: Request): OriginVerdict {
  return checkSameOrigin({
    method: request.method,
    header: (name) => request.headers.get(name),
    siteOrigin: serverConfig().SITE_URL,
    requestOrigin: requestOriginOf(request),
  });
}

/** A 403 CROSS_SITE response when the request comes from another site; null when it may proceed. */
export function refuseCrossSite(request: Request): Response | null {
  // Reading headers of a GET would trip Astro's warning on prerendered pages; GETs need no check.
  if (!isStateChanging(request.method)) return null;
  return crossSiteVerdict(request).allowed ? null : errorResponse('CROSS_SITE');
}
