import { describe, expect, it } from 'vitest';
import { isTrusted, parseTrustedProxies, resolveClientAddress } from '../../src/lib/voting/client-address';
import { checkSameOrigin } from '../../src/lib/voting/origin-check';

function check(method: string, headers: Record<string, string>, host = 'vote.example.cn') {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return checkSameOrigin({ method, header: (name) => lower.get(name) ?? null, siteOrigin: 'https://vote.example.cn', requestHost: host }).allowed;
}

describe('checkSameOrigin', () => {
  it('lets reads through untouched', () => {
    expect(check('GET', { origin: 'https://evil.example' })).toBe(true);
  });
  it('accepts the site origin and the request host', () => {
    expect(check('POST', { origin: 'https://vote.example.cn', 'sec-fetch-site': 'same-origin' })).toBe(true);
    expect(check('POST', { origin: 'http://127.0.0.1:4400' }, '127.0.0.1:4400')).toBe(true);
  });
  it('refuses other origins, opaque origins and cross-site fetch metadata', () => {
    expect(check('POST', { origin: 'https://evil.example' })).toBe(false);
    expect(check('DELETE', { origin: 'https://vote.example.cn.evil.example' })).toBe(false);
    expect(check('POST', { origin: 'null' })).toBe(false);
    expect(check('POST', { origin: 'https://vote.example.cn', 'sec-fetch-site': 'cross-site' })).toBe(false);
    expect(check('POST', { 'sec-fetch-site': 'same-site' })).toBe(false);
  });
  it('refuses a browser request without Origin but lets a non-browser client through', () => {
    expect(check('POST', { 'sec-fetch-mode': 'navigate' })).toBe(false);
    expect(check('POST', {})).toBe(true);
  });
});

describe('client address', () => {
  const proxies = parseTrustedProxies('10.0.0.0/8, 127.0.0.1, ::1, fd00::/8');

  it('matches IPv4 and IPv6 CIDRs, also IPv4-mapped addresses', () => {
    expect(isTrusted('10.2.3.4', proxies)).toBe(true);
    expect(isTrusted('::ffff:10.2.3.4', proxies)).toBe(true);
    expect(isTrusted('11.0.0.1', proxies)).toBe(false);
    expect(isTrusted('fd12::1', proxies)).toBe(true);
    expect(isTrusted('fe80::1', proxies)).toBe(false);
    expect(isTrusted('::1', proxies)).toBe(true);
  });

  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(resolveClientAddress('203.0.113.9', '198.51.100.1', proxies)).toBe('203.0.113.9');
  });

  it('takes the right-most untrusted hop from a trusted proxy', () => {
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.1, 10.0.0.5', proxies)).toBe('198.51.100.1');
    expect(resolveClientAddress('::ffff:127.0.0.1', '198.51.100.7', proxies)).toBe('198.51.100.7');
  });

  it('falls back to the peer when the header is garbage', () => {
    expect(resolveClientAddress('10.0.0.2', 'not-an-ip', proxies)).toBe('10.0.0.2');
  });

  it('refuses a bad TRUSTED_PROXIES entry', () => {
    expect(() => parseTrustedProxies('10.0.0.0/40')).toThrow();
    expect(() => parseTrustedProxies('proxy.local')).toThrow();
    expect(parseTrustedProxies('')).toEqual([]);
  });
});
