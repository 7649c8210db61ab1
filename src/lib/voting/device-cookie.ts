/**
 * The device cookie: a random device id with an HMAC signature, so the server can tell a cookie it
 * issued from one a script made up. It proves "same browser as before", nothing about the person.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export const DEVICE_COOKIE_NAME = 'ndwc_device';
/** Browsers cap cookie lifetime at 400 days. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

const keyObjects = new WeakMap<Buffer, KeyObject>();

/** A KeyObject per secret: handing createHmac a raw Buffer re-imports the key on every call. */
function hmacKey(secret: Buffer): KeyObject {
  let key = keyObjects.get(secret);
  if (!key) {
    key = createSecretKey(secret);
    keyObjects.set(secret, key);
  }
  return key;
}

function signature(secret: Buffer, deviceId: string, issuedAtSeconds: number | null): string {
  const signed = issuedAtSeconds === null ? `v1:${deviceId}` : `v2:${deviceId}:${issuedAtSeconds}`;
  return createHmac('sha256', hmacKey(secret)).update(`device-cookie:${signed}`).digest('base64url');
}

/** What a valid cookie says: which device, and when this server issued it. */
export interface DeviceCookie {
  deviceId: string;
  /**
   * Seconds since the epoch when the cookie was issued; null for a cookie issued before cookies
   * carried the time (it is signed all the same, so no script made it up).
   */
  issuedAtSeconds: number | null;
}

/** `deviceId` is 16 random bytes in base64url (22 characters); the issue time is signed with it. */
export function signDeviceCookie(secret: Buffer, deviceId: string, issuedAt: Date): string {
  if (!DEVICE_ID_PATTERN.test(deviceId)) throw new Error('device id must be 22 base64url characters');
  const issuedAtSeconds = Math.floor(issuedAt.getTime() / 1000);
  return `${deviceId}.${issuedAtSeconds}.${signature(secret, deviceId, issuedAtSeconds)}`;
}

const ISSUED_AT_PATTERN = /^\d{1,12}$/;

/** The device and issue time of a cookie value this server signed, or null for anything else. */
export function verifyDeviceCookie(secret: Buffer, value: string | undefined | null): DeviceCookie | null {
  if (!value) return null;
  const parts = value.split('.');
  if (parts.length !== 2 && parts.length !== 3) return null;
  const deviceId = parts[0] ?? '';
  if (!DEVICE_ID_PATTERN.test(deviceId)) return null;
  let issuedAtSeconds: number | null = null;
  if (parts.length === 3) {
    if (!ISSUED_AT_PATTERN.test(parts[1] ?? '')) return null;
    issuedAtSeconds = Number(parts[1]);
  }
  const given = Buffer.from(parts.at(-1) ?? '');
  const expected = Buffer.from(signature(secret, deviceId, issuedAtSeconds));
  return given.length === expected.length && timingSafeEqual(given, expected) ? { deviceId, issuedAtSeconds } : null;
}

/**
 * Seconds until a cookie is old enough for its ballot to count (0: it counts now). A script that takes
 * a fresh cookie and votes at once is refused; a person who opened the ballot and read it is not.
 * Cookies issued before the time was recorded are as old as can be.
 */
export function secondsUntilCookieCounts(cookie: DeviceCookie, now: Date, minimumAgeSeconds: number): number {
  if (cookie.issuedAtSeconds === null) return 0;
  const ageSeconds = now.getTime() / 1000 - cookie.issuedAtSeconds;
  return Math.max(0, Math.ceil(minimumAgeSeconds - ageSeconds));
}

/** The `Set-Cookie` value; `secure` when the site is served over HTTPS. */
export function deviceCookieHeader(value: string, secure: boolean): string {
  return [
    `${DEVICE_COOKIE_NAME}=${value}`,
    'Path=/',
    `Max-Age=${DEVICE_COOKIE_MAX_AGE_SECONDS}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** A keyed hash: the same input gives the same value only for whoever holds the key. */
export function keyedHash(key: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', hmacKey(key)).update(`${purpose}:${value}`).digest('base64url').slice(0, 22);
}
