import { describe, expect, it } from 'vitest';
import {
  DEVICE_COOKIE_NAME,
  deviceCookieHeader,
  keyedHash,
  readCookie,
  secondsUntilCookieCounts,
  signDeviceCookie,
  verifyDeviceCookie,
} from '../../src/lib/voting/device-cookie';
import { decodeLine, encodeRecord, scanRecords } from '../../src/lib/voting/log-framing';

const secret = Buffer.alloc(32, 7);
const deviceId = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('device cookie', () => {
  it('verifies what it signed and nothing else', () => {
    const issuedAt = new Date('2027-03-15T02:00:00Z');
    const value = signDeviceCookie(secret, deviceId, issuedAt);
    expect(verifyDeviceCookie(secret, value)).toEqual({ deviceId, issuedAtSeconds: issuedAt.getTime() / 1000 });
    expect(verifyDeviceCookie(Buffer.alloc(32, 8), value)).toBeNull();
    expect(
      verifyDeviceCookie(
        secret,
        value.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      ),
    ).toBeNull();
    expect(verifyDeviceCookie(secret, `BBBBBBBBBBBBBBBBBBBBBB${value.slice(22)}`)).toBeNull();
    expect(verifyDeviceCookie(secret, 'garbage')).toBeNull();
    // A script cannot make its cookie look older: the issue time is signed.
    const [id, seconds, mac] = value.split('.');
    expect(verifyDeviceCookie(secret, `${id}.${Number(seconds) - 3600}.${mac}`)).toBeNull();
    expect(verifyDeviceCookie(secret, undefined)).toBeNull();
  });

  it('counts a ballot only once the cookie is old enough; cookies from before issue times count', () => {
    const issuedAt = new Date('2027-03-15T02:00:00Z');
    const cookie = verifyDeviceCookie(secret, signDeviceCookie(secret, deviceId, issuedAt));
    if (!cookie) throw new Error('cookie did not verify');
    const later = (seconds: number) => new Date(issuedAt.getTime() + seconds * 1000);
    expect(secondsUntilCookieCounts(cookie, later(0), 3)).toBe(3);
    expect(secondsUntilCookieCounts(cookie, later(1.5), 3)).toBe(2);
    expect(secondsUntilCookieCounts(cookie, later(3), 3)).toBe(0);
    expect(secondsUntilCookieCounts(cookie, later(0), 0)).toBe(0);
    expect(secondsUntilCookieCounts({ deviceId, issuedAtSeconds: null }, later(0), 3)).toBe(0);
  });

  it('is HttpOnly and SameSite=Lax, Secure on https', () => {
    const header = deviceCookieHeader('v', true);
    expect(header).toMatch(new RegExp(`^${DEVICE_COOKIE_NAME}=v;`));
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Lax');
    expect(header).toContain('Secure');
    expect(deviceCookieHeader('v', false)).not.toContain('Secure');
  });

  it('reads one cookie among many', () => {
    expect(readCookie(`a=1; ${DEVICE_COOKIE_NAME}=x.y; b=2`, DEVICE_COOKIE_NAME)).toBe('x.y');
    expect(readCookie(null, DEVICE_COOKIE_NAME)).toBeNull();
  });

  it('keyed hashes depend on the key and the purpose', () => {
    expect(keyedHash(secret, 'address', '1.2.3.4')).toBe(keyedHash(secret, 'address', '1.2.3.4'));
    expect(keyedHash(secret, 'address', '1.2.3.4')).not.toBe(keyedHash(Buffer.alloc(32, 1), 'address', '1.2.3.4'));
    expect(keyedHash(secret, 'address', '1.2.3.4')).not.toBe(keyedHash(secret, 'device', '1.2.3.4'));
    expect(keyedHash(secret, 'address', '1.2.3.4')).not.toContain('1.2.3.4');
  });
});

describe('log framing', () => {
  const records = [{ id: 'a', text: '头盔' }, { id: 'b' }, { id: 'c', n: 3 }];
  const log = Buffer.concat(records.map(encodeRecord));

  function scan(buffer: Buffer, base = 0) {
    const seen: { record: unknown; offset: number }[] = [];
    const result = scanRecords(buffer, base, (record, offset) => seen.push({ record, offset }));
    return { ...result, seen };
  }

  it('round-trips records with offsets', () => {
    const result = scan(log, 100);
    expect(result.seen.map((entry) => entry.record)).toEqual(records);
    expect(result.seen[0]?.offset).toBe(100);
    expect(result).toMatchObject({ count: 3, validLength: log.length, damageAt: null, damageInMiddle: false });
  });

  it('detects a torn last line (no LF, or cut inside)', () => {
    for (const cut of [1, 5, 12, encodeRecord(records[2]).length - 1]) {
      const torn = log.subarray(0, log.length - cut);
      const result = scan(torn);
      expect(result.count).toBe(2);
      expect(result.damageAt).toBe(result.validLength);
      expect(result.damageInMiddle).toBe(false);
    }
  });

  it('detects a flipped byte by its checksum', () => {
    const damaged = Buffer.from(log);
    const second = encodeRecord(records[0]).length + 12;
    damaged[second] = damaged[second] === 0x61 ? 0x62 : 0x61;
    expect(
      decodeLine(damaged.subarray(encodeRecord(records[0]).length, log.length - encodeRecord(records[2]).length - 1)),
    ).toBeNull();
    const result = scan(damaged);
    expect(result.count).toBe(1);
    expect(result.damageInMiddle).toBe(true);
  });

  it('treats a tail of zeros (unwritten blocks) as torn, not as damage in the middle', () => {
    const result = scan(Buffer.concat([log, Buffer.alloc(4096), Buffer.from('\n')]));
    expect(result.count).toBe(3);
    expect(result.damageInMiddle).toBe(false);
  });
});
