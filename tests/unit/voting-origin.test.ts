import { describe, expect, it } from 'vitest';
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
