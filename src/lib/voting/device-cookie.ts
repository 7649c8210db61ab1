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

function signature(secret: Buffer, deviceId: string): string {
  return createHmac('sha256', hmacKey(secret)).update(`device-cookie:v1:${deviceId}`).digest('base64url');
}

/** `deviceId` is 16 random bytes in base64url (22 characters). */
export function signDeviceCookie(secret: Buffer, deviceId: string): string {
  if (!DEVICE_ID_PATTERN.test(deviceId)) throw new Error('device id must be 22 base64url characters');
  return `${deviceId}.${signature(secret, deviceId)}`;
}

/** The device id of a cookie value this server signed, or null for anything else. */
export function verifyDeviceCookie(secret: Buffer, value: string | undefined | null): string | null {
  if (!value) return null;
  const dot = value.indexOf('.');
  if (dot < 0) return null;
  const deviceId = value.slice(0, dot);
  if (!DEVICE_ID_PATTERN.test(deviceId)) return null;
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(signature(secret, deviceId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? deviceId : null;
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
