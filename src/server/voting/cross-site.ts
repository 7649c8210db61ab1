/**
 * The cross-site refusal used by `src/middleware.ts` for every non-GET request, callable on its own
 * by any route or handler that needs it.
 */
import { checkSameOrigin, isStateChanging } from '../../lib/voting/origin-check';
import { serverConfig } from '../config';
import { errorResponse } from './http';

/** A 403 CROSS_SITE response when the request comes from another site; null when it may proceed. */
export function refuseCrossSite(request: Request): Response | null {
  // Reading headers of a GET would trip Astro's warning on prerendered pages; GETs need no check.
  if (!isStateChanging(request.method)) return null;
  const verdict = checkSameOrigin({
    method: request.method,
    header: (name) => request.headers.get(name),
    siteOrigin: serverConfig().SITE_URL,
    requestHost: request.headers.get('host'),
  });
  return verdict.allowed ? null : errorResponse('CROSS_SITE');
}
