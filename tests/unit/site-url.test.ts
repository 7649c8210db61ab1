import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE_URL, isDefaultSiteUrl, siteUrlIsLocal, siteUrlStartRefusal } from '../../src/lib/site-url';

const PUBLIC = 'https://jianguan.example.gov.cn';

describe('siteUrlStartRefusal', () => {
  it('lets a loopback-only server start with the default SITE_URL', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      expect(siteUrlStartRefusal(host, DEFAULT_SITE_URL, DEFAULT_SITE_URL)).toBeNull();
    }
  });

  it('refuses a server reachable beyond loopback whose SITE_URL is the default, in Chinese and English', () => {
    const reason = siteUrlStartRefusal('0.0.0.0', DEFAULT_SITE_URL, PUBLIC);
    expect(reason).toContain('SITE_URL 未设置');
    expect(reason).toContain('Set SITE_URL');
  });

  it('refuses a public server whose build was made without SITE_URL', () => {
    expect(siteUrlStartRefusal('0.0.0.0', PUBLIC, DEFAULT_SITE_URL)).toContain('重新构建');
  });

  it('lets a public server with a public SITE_URL start', () => {
    expect(siteUrlStartRefusal('0.0.0.0', PUBLIC, PUBLIC)).toBeNull();
  });
});

describe('siteUrlIsLocal', () => {
  it('knows the loopback addresses', () => {
    expect(siteUrlIsLocal(DEFAULT_SITE_URL)).toBe(true);
    expect(siteUrlIsLocal('http://127.0.0.1:4321')).toBe(true);
    expect(siteUrlIsLocal('http://[::1]:4321')).toBe(true);
    expect(siteUrlIsLocal(PUBLIC)).toBe(false);
  });
});

describe('isDefaultSiteUrl', () => {
  it('is the localhost default only, with or without the trailing slash', () => {
    expect(isDefaultSiteUrl('http://localhost:4321')).toBe(true);
    expect(isDefaultSiteUrl('http://localhost:4321/')).toBe(true);
    expect(isDefaultSiteUrl('http://127.0.0.1:5000')).toBe(false);
    expect(isDefaultSiteUrl(PUBLIC)).toBe(false);
  });
});
