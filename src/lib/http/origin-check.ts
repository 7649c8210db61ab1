/**
 * Cross-site request refusal for state-changing requests (CSRF), JSON included; the one check behind
 * the site-wide middleware, the staff guard and the assistant's API.
 * Browsers send `Origin` on every cross-origin POST and `Sec-Fetch-Site` on all modern requests,
 * so a request is same-site when those headers say so; a request without any browser header
 * (curl, a server-side client) carries no ambient credentials worth forging and is let through.
 * Only `same-origin` (or `none`, typed by the user) counts: a sibling subdomain (`same-site`) is
 * another site here.
 */
export interface OriginCheckInput {
  method: string;
  /** Header lookup, case-insensitive like `Headers.get`. */
  header: (name: string) => string | null;
  /** The origin the portal is published at (SITE_URL). */
  siteOrigin: string;
  /**
   * The origin the request was addressed to: the scheme it arrived over and its `Host` header
   * (e.g. `http://127.0.0.1:4400`); null without a Host header.
   */
  requestOrigin: string | null;
}

export type OriginVerdict = { allowed: true } | { allowed: false; reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** Scheme, host and port, normalised (lower case, default port dropped); null when unparsable. */
function normalisedOrigin(origin: string | null): string | null {
  if (origin === null) return null;
  try {
    const parsed = new URL(origin).origin;
    return parsed === 'null' ? null : parsed;
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
    const fromBrowser = ['sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest'].some(
      (name) => input.header(name) !== null,
    );
    return fromBrowser ? { allowed: false, reason: 'browser request without Origin' } : { allowed: true };
  }
  if (origin === 'null') return { allowed: false, reason: 'opaque origin' };

  const claimed = normalisedOrigin(origin);
  if (
    claimed !== null &&
    (claimed === normalisedOrigin(input.siteOrigin) || claimed === normalisedOrigin(input.requestOrigin))
  ) {
    return { allowed: true };
  }
  return { allowed: false, reason: `Origin ${origin}` };
}
