/**
 * Same-site check for the assistant's POST, so that another site cannot make visitors' browsers
 * ask questions (and spend the rate limit or the model budget) on its behalf.
 */

/**
 * True when the request may be served: its Origin is this site's (the configured public address
 * or the address it was sent to), or it has no Origin and the browser does not call it cross-site
 * (curl, server-to-server checks).
 */
export function isSameSiteRequest(headers: Headers, requestUrl: string, siteUrl: string): boolean {
  const origin = headers.get('origin');
  if (origin && origin !== 'null') {
    const allowed = new Set<string>();
    for (const url of [siteUrl, requestUrl]) {
      try {
        allowed.add(new URL(url).origin);
      } catch {
        // An unparsable configured address allows nothing.
      }
    }
    return allowed.has(origin);
  }
  if (origin === 'null') return false;
  const fetchSite = headers.get('sec-fetch-site');
  return fetchSite === null || fetchSite === 'same-origin' || fetchSite === 'same-site' || fetchSite === 'none';
}
