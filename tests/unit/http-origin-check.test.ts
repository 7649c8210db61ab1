import { describe, expect, it } from 'vitest';
import { checkSameOrigin } from '../../src/lib/http/origin-check';

function check(
  method: string,
  headers: Record<string, string>,
  requestOrigin: string | null = 'https://vote.example.cn',
  siteOrigin = 'https://vote.example.cn',
) {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return checkSameOrigin({ method, header: (name) => lower.get(name) ?? null, siteOrigin, requestOrigin }).allowed;
}

describe('checkSameOrigin', () => {
  it('lets reads through untouched', () => {
    expect(check('GET', { origin: 'https://evil.example' })).toBe(true);
  });
  it('accepts the site origin and the request host', () => {
    expect(check('POST', { origin: 'https://vote.example.cn', 'sec-fetch-site': 'same-origin' })).toBe(true);
    expect(check('POST', { origin: 'http://127.0.0.1:4400' }, 'http://127.0.0.1:4400')).toBe(true);
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
  it('matches the request host only with the scheme the request arrived over', () => {
    expect(
      check('POST', { origin: 'http://vote.example.cn' }, 'https://vote.example.cn', 'https://other.example.cn'),
    ).toBe(false);
    expect(
      check('POST', { origin: 'https://vote.example.cn' }, 'https://vote.example.cn:443', 'https://other.example.cn'),
    ).toBe(true);
    expect(check('POST', { origin: 'https://vote.example.cn' }, null, 'https://other.example.cn')).toBe(false);
  });
});

// Cases from the assistant's former same-site check (its API now uses checkSameOrigin too).
describe('checkSameOrigin for the assistant', () => {
  const site = 'https://portal.example.gov.cn';
  const assistant = (headers: Record<string, string>, requestOrigin: string) =>
    check('POST', headers, requestOrigin, site);

  it('accepts the site itself and the address it was sent to', () => {
    expect(assistant({ origin: site }, 'http://127.0.0.1:4400')).toBe(true);
    expect(assistant({ origin: 'http://127.0.0.1:4400' }, 'http://127.0.0.1:4400')).toBe(true);
    expect(assistant({}, 'http://127.0.0.1:4400')).toBe(true);
  });

  it('refuses other sites', () => {
    expect(assistant({ origin: 'https://evil.example' }, site)).toBe(false);
    expect(assistant({ origin: 'null' }, site)).toBe(false);
    expect(assistant({ 'sec-fetch-site': 'cross-site' }, site)).toBe(false);
  });

  it('is as strict as the voting check where the two differed', () => {
    // The assistant's own check let these through; the shared one refuses them.
    expect(assistant({ 'sec-fetch-site': 'same-site' }, site)).toBe(false);
    expect(assistant({ 'sec-fetch-site': 'same-origin' }, site)).toBe(false);
    expect(assistant({ origin: site, 'sec-fetch-site': 'cross-site' }, site)).toBe(false);
  });
});
