/**
 * SITE_URL is the address printed into poster QR codes, feed links and canonical URLs. Left at its
 * localhost default those links work only on the machine that made them: a printed poster, a
 * projected QR code or a feed read elsewhere then leads nowhere. These rules say when to warn and
 * when to refuse to start.
 */

export const DEFAULT_SITE_URL = 'http://localhost:4321';

/** The banner shown wherever links leave this machine (admin pages, posters, projector, event CLI). */
export const SITE_URL_WARNING = 'SITE_URL 未设置：二维码和链接指向 localhost，打印前请设置';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether a listening host is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.trim().toLowerCase());
}

/** Whether SITE_URL was left at its default (unset, or set to the default itself): the banner's test. */
export function isDefaultSiteUrl(siteUrl: string | URL): boolean {
  return new URL(siteUrl).href === new URL(DEFAULT_SITE_URL).href;
}

/** Whether links built on this site URL lead to this machine only (the default, or another loopback URL). */
export function siteUrlIsLocal(siteUrl: string | URL): boolean {
  return isLoopbackHost(new URL(siteUrl).hostname);
}

/**
 * Why the server must not start, or null. Reachable beyond loopback with links that point at
 * localhost, every QR code and feed link it hands out would be dead for its visitors.
 * `builtSiteUrl` is the address baked into the build (feeds, canonical URLs); `siteUrl` the one
 * the running server uses (QR codes, Origin checks): both must be public.
 */
export function siteUrlStartRefusal(listenHost: string, siteUrl: string, builtSiteUrl: string): string | null {
  if (isLoopbackHost(listenHost)) return null;
  if (siteUrlIsLocal(siteUrl)) {
    return (
      `SITE_URL 未设置（仍为 ${siteUrl}），但服务器在 ${listenHost} 上对外监听：二维码和链接会指向 localhost。` +
      `请设置 SITE_URL 为本站的公网地址后再启动。 / SITE_URL is not set (still ${siteUrl}) while the server ` +
      `listens on ${listenHost}: QR codes and links would point at localhost. Set SITE_URL to the public address.`
    );
  }
  if (siteUrlIsLocal(builtSiteUrl)) {
    return (
      `构建时未设置 SITE_URL（订阅源和页面链接指向 ${builtSiteUrl}）：请设置 SITE_URL 后重新构建（npm run build）。` +
      ` / The build was made without SITE_URL (feed and page links point at ${builtSiteUrl}): ` +
      `rebuild with SITE_URL set.`
    );
  }
  return null;
}
