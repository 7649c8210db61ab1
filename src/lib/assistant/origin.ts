/**
 * Same-site checks for the assistant's POST, so that another site cannot make visitors' browsers
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

/**
 * The client's address: the socket's, unless the socket belongs to a trusted proxy, in which
 * case the nearest X-Forwarded-For entry that is not itself a trusted proxy.
 */
export function clientAddress(socketAddress: string, forwardedFor: string | null, trustedProxies: readonly string[]): string {
  const normalise = (address: string) => address.trim().replace(/^::ffff:/, '');
  const socket = normalise(socketAddress);
  const trusted = new Set(trustedProxies.map(normalise));
  if (!trusted.has(socket) || !forwardedFor) return socket;
  const hops = forwardedFor.split(',').map(normalise).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted.has(hops[i]!)) return hops[i]!;
  }
  return socket;
}
