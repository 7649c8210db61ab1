/**
 * Cross-site request refusal for state-changing requests (CSRF), JSON included.
 * Browsers send `Origin` on every cross-origin POST and `Sec-Fetch-Site` on all modern requests,
 * so a request is same-site when those headers say so; a request without any browser header
 * (curl, a server-side client) carries no ambient credentials worth forging and is let through.
 */
export interface OriginCheckInput {
  method: string;
  /** Header lookup, case-insensitive like `Headers.get`. */
  header: (name: string) => string | null;
  /** The origin the portal is published at (SITE_URL). */
  siteOrigin: string;
  /** The request's own `Host` header value (host[:port]). */
  requestHost: string | null;
}

export type OriginVerdict = { allowed: true } | { allowed: false; reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export function checkSameOrigin(input: OriginCheckInput): OriginVerdict {
  if (!isStateChanging(input.method)) return { allowed: true };

  const fetchSite = input.header('sec-fetch-site')?.toLowerCase() ?? null;
  if (fetchSite !== null && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    return { allowed: false, reason: `Sec-Fetch-Site: ${fetchSite}` };
  }

  const origin = input.header('origin');
  if (origin === null) {
    const fromBrowser = ['sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest'].some((name) => input.header(name) !== null);
    return fromBrowser ? { allowed: false, reason: 'browser request without Origin' } : { allowed: true };
  }
  if (origin === 'null') return { allowed: false, reason: 'opaque origin' };

  const siteOrigin = new URL(input.siteOrigin).origin;
  if (origin === siteOrigin) return { allowed: true };
  const originHost = hostOf(origin);
  if (originHost !== null && input.requestHost !== null && originHost === input.requestHost.toLowerCase()) {
    return { allowed: true };
  }
  return { allowed: false, reason: `Origin ${origin}` };
}
