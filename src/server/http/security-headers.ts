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

/**
 * The one exception to "never framed": a staff preview (`routePatterns.adminPreviewFrame`) is shown
 * in frames of phone and desktop width on the preview page, which is on the same origin. Only that
 * route's answer is changed, to framing by the portal itself; every other answer keeps 'none'/DENY,
 * and a path spelled differently simply keeps them too.
 */
export function allowSameOriginFraming(response: Response): Response {
  const framed = new Response(response.body, response);
  const policy = framed.headers.get('content-security-policy');
  framed.headers.set(
    'content-security-policy',
    policy ? policy.replace(/frame-ancestors [^;]*/, "frame-ancestors 'self'") : "frame-ancestors 'self'",
  );
  framed.headers.set('x-frame-options', 'SAMEORIGIN');
  return framed;
}
