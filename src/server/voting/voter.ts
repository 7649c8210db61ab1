/**
 * Who is asking, in the only forms the portal keeps: a keyed hash of the device cookie's id and a
 * keyed hash of the client address made with today's key. Raw addresses and user agents are used
 * for nothing and stored nowhere.
 */
import { randomBytes } from 'node:crypto';
import {
  DEVICE_COOKIE_NAME,
  deviceCookieHeader,
  keyedHash,
  readCookie,
  signDeviceCookie,
  verifyDeviceCookie,
} from '~/lib/voting/device-cookie';
import { serverConfig } from '~/server/config';
import { clientAddressOf } from '~/server/http/client-address';
import { getStore } from '~/server/store/instance';

export interface Voter {
  deviceHash: string;
  addressHash: string;
  /** A `Set-Cookie` value when the request had no valid device cookie (one was issued now). */
  setCookie: string | null;
}

/** The device cookie to set on a response, or null when the request already carries a valid one. */
export async function deviceCookieToSet(request: Request): Promise<string | null> {
  const secret = await (await getStore()).secrets.deviceCookieSecret();
  if (verifyDeviceCookie(secret, readCookie(request.headers.get('cookie'), DEVICE_COOKIE_NAME))) return null;
  return issueCookie(secret).header;
}

function issueCookie(secret: Buffer): { deviceId: string; header: string } {
  const deviceId = randomBytes(16).toString('base64url');
  const secure = new URL(serverConfig().SITE_URL).protocol === 'https:';
  return { deviceId, header: deviceCookieHeader(signDeviceCookie(secret, deviceId), secure) };
}

export async function identifyVoter(request: Request, socketAddress: string, now: Date): Promise<Voter> {
  const store = await getStore();
  const secret = await store.secrets.deviceCookieSecret();
  let deviceId = verifyDeviceCookie(secret, readCookie(request.headers.get('cookie'), DEVICE_COOKIE_NAME));
  let setCookie: string | null = null;
  if (!deviceId) {
    const issued = issueCookie(secret);
    deviceId = issued.deviceId;
    setCookie = issued.header;
  }
  const { key } = await store.secrets.addressKeyOfDay(now);
  return {
    deviceHash: keyedHash(secret, 'device', deviceId),
    addressHash: keyedHash(key, 'address', clientAddressOf(request, socketAddress)),
    setCookie,
  };
}
