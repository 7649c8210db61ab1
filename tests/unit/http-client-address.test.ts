import { describe, expect, it } from 'vitest';
import { isTrusted, parseTrustedProxies, resolveClientAddress } from '../../src/server/http/trusted-proxies';

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

  // Cases from the assistant's former exact-address rule, which the shared CIDR rule keeps.
  it('believes X-Forwarded-For only from a trusted proxy (exact addresses)', () => {
    expect(resolveClientAddress('203.0.113.9', '1.2.3.4', parseTrustedProxies(''))).toBe('203.0.113.9');
    expect(resolveClientAddress('10.0.0.1', '1.2.3.4, 10.0.0.2', parseTrustedProxies('10.0.0.1, 10.0.0.2'))).toBe(
      '1.2.3.4',
    );
    expect(resolveClientAddress('::ffff:10.0.0.1', 'spoofed, 5.6.7.8', parseTrustedProxies('10.0.0.1'))).toBe(
      '5.6.7.8',
    );
  });
});
