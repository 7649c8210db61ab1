/**
 * The cross-site refusal used by `src/middleware.ts` for every non-GET request, and by routes that
 * check again on their own (the staff guard, the assistant's API): one implementation for all. The
 * refusal is worded for the part of the site that was asked (voting, staff, assistant).
 */
import { CROSS_SITE_MESSAGES, EDGE_ERRORS, siteAreaOf } from '~/lib/http/api-errors';
import { checkSameOrigin, isStateChanging, type OriginVerdict } from '~/lib/http/origin-check';
import { serverConfig } from '~/server/config';
import { errorAnswer, responseOf, type JsonAnswer } from './json';
import type { RequestHead } from './request-head';

/** The scheme the request arrived over (as Astro saw it) with the `Host` header it was sent with. */
function requestOriginOf(request: RequestHead): string | null {
  const host = request.headers.get('host');
  return host ? `${new URL(request.url).protocol}//${host}` : null;
}

/**
 * Whether the request may proceed; GET/HEAD/OPTIONS always may. When SITE_URL is set, only its
 * origin counts as ours: trusting the Host header would let a DNS-rebinding page pass.
 */
export function crossSiteVerdict(request: RequestHead): OriginVerdict {
  const config = serverConfig();
  return checkSameOrigin({
    method: request.method,
    header: (name) => request.headers.get(name),
    siteOrigin: config.SITE_URL,
    requestOrigin: config.SITE_URL_SET ? null : requestOriginOf(request),
  });
}

/** A 403 CROSS_SITE answer when the request comes from another site; null when it may proceed. */
export function crossSiteRefusal(request: RequestHead): JsonAnswer | null {
  // Reading headers of a GET would trip Astro's warning on prerendered pages; GETs need no check.
  if (!isStateChanging(request.method)) return null;
  if (crossSiteVerdict(request).allowed) return null;
  const area = siteAreaOf(new URL(request.url).pathname);
  return errorAnswer('CROSS_SITE', CROSS_SITE_MESSAGES[area], EDGE_ERRORS.CROSS_SITE.status);
}

export function refuseCrossSite(request: RequestHead): Response | null {
  const refusal = crossSiteRefusal(request);
  return refusal && responseOf(refusal);
}
