/**
 * The header policy of every answer of the portal, pages, API and static files alike. Nothing of the
 * portal is meant to be framed (the poster and the projector view are opened directly), so framing
 * is refused both the modern way (CSP frame-ancestors) and the old one (X-Frame-Options). The CSP
 * for scripts and styles is Astro's (`security.csp` in astro.config.mjs), which hashes what it renders
 * and also carries frame-ancestors: it replaces the header set here on every page, on-demand ones by
 * Astro and prerendered ones by our entry (src/server/http/static-page-policies.ts).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

export function applySecurityHeaders(response: { setHeader(name: string, value: string): unknown }): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
}
