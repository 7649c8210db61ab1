/**
 * Who is asking, in the only forms the portal keeps: a keyed hash of the device cookie's id and a
 * keyed hash of the client address made with today's key. Raw addresses and user agents are used
 * for nothing and stored nowhere.
 */
import { randomBytes } from 'node:crypto';
import {
  DEVICE_COOKIE_NAME,
  type DeviceCookie,
  deviceCookieHeader,
  keyedHash,
  readCookie,
  signDeviceCookie,
  verifyDeviceCookie,
} from '~/lib/voting/device-cookie';
import { serverConfig } from '~/server/config';
import { clientAddressOf } from '~/server/http/client-address';
import type { RequestHead } from '~/server/http/request-head';
import { getStore } from '~/server/store/instance';

export interface Voter {
  deviceHash: string;
  addressHash: string;
  /** The valid device cookie the request carried; null when it had none (one was issued now). */
  deviceCookie: DeviceCookie | null;
  /** A `Set-Cookie` value when the request had no valid device cookie (one was issued now). */
  setCookie: string | null;
}

/** The device cookie to set on a response, or null when the request already carries a valid one. */
export async function deviceCookieToSet(request: Request, now: Date): Promise<string | null> {
  const secret = await (await getStore()).secrets.deviceCookieSecret();
  if (verifyDeviceCookie(secret, readCookie(request.headers.get('cookie'), DEVICE_COOKIE_NAME))) return null;
  return issueCookie(secret, now).header;
}

/** The device hash of the request's valid device cookie, or null (for pages that look up this device's ballot). */
export async function deviceHashOf(request: Request): Promise<string | null> {
  const secret = await (await getStore()).secrets.deviceCookieSecret();
  const cookie = verifyDeviceCookie(secret, readCookie(request.headers.get('cookie'), DEVICE_COOKIE_NAME));
  return cookie ? keyedHash(secret, 'device', cookie.deviceId) : null;
}

function issueCookie(secret: Buffer, now: Date): { deviceId: string; header: string } {
  const deviceId = randomBytes(16).toString('base64url');
  const secure = new URL(serverConfig().SITE_URL).protocol === 'https:';
  return { deviceId, header: deviceCookieHeader(signDeviceCookie(secret, deviceId, now), secure) };
}

export async function identifyVoter(request: RequestHead, socketAddress: string, now: Date): Promise<Voter> {
  const store = await getStore();
  const secret = await store.secrets.deviceCookieSecret();
  const deviceCookie = verifyDeviceCookie(secret, readCookie(request.headers.get('cookie'), DEVICE_COOKIE_NAME));
  let deviceId = deviceCookie?.deviceId;
  let setCookie: string | null = null;
  if (!deviceId) {
    const issued = issueCookie(secret, now);
    deviceId = issued.deviceId;
    setCookie = issued.header;
  }
  const { key } = await store.secrets.addressKeyOfDay(now);
  return {
    deviceHash: keyedHash(secret, 'device', deviceId),
    addressHash: keyedHash(key, 'address', clientAddressOf(request, socketAddress)),
    deviceCookie,
    setCookie,
  };
}
