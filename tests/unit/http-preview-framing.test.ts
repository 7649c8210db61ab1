import { describe, expect, it } from 'vitest';
import { paths, routePatterns } from '../../src/paths';
import { allowSameOriginFraming } from '../../src/server/http/security-headers';

describe('the preview frame: the one answer the portal lets be framed, by itself only', () => {
  it('matches the preview frame route and no other staff or public page', () => {
    expect(routePatterns.adminPreviewFrame.test(paths.adminAnnouncementPreviewFrame('pub-1'))).toBe(true);
    for (const path of [
      paths.adminAnnouncementPreview('pub-1'),
      paths.adminPublication('announcements', 'pub-1'),
      paths.announcement('preview'),
      '/admin/announcements/a/b/preview/frame/',
      '/announcements/x/preview/frame/',
    ])
      expect(routePatterns.adminPreviewFrame.test(path), path).toBe(false);
  });

  it("replaces frame-ancestors 'none' with 'self' and keeps the rest of the policy", async () => {
    const policy = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'";
    const framed = allowSameOriginFraming(
      new Response('preview', { headers: { 'content-security-policy': policy, 'x-frame-options': 'DENY' } }),
    );
    expect(framed.headers.get('content-security-policy')).toBe(
      "default-src 'self'; frame-ancestors 'self'; base-uri 'self'",
    );
    expect(framed.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(await framed.text()).toBe('preview');
  });

  it('keeps the status of a redirect (a guard refusal) while changing its headers', () => {
    const framed = allowSameOriginFraming(new Response(null, { status: 303, headers: { location: '/admin/login/' } }));
    expect(framed.status).toBe(303);
    expect(framed.headers.get('location')).toBe('/admin/login/');
    expect(framed.headers.get('content-security-policy')).toBe("frame-ancestors 'self'");
  });
});
