/**
 * Staff login and sessions. The cookie carries a random 256-bit session id; the store keeps only its
 * SHA-256, so a copied data folder holds no working session. Failed logins are throttled per account
 * and per address hash (LoginLockout); an unknown user costs as much time as a wrong password.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AstroCookies } from 'astro';
import { csrfTokenFor } from '../../lib/admin/csrf';
import { LoginLockout } from '../../lib/admin/lockout';
import { sessionState, shouldTouch, type SessionPolicy } from '../../lib/admin/session-expiry';
import type { StaffRole, StaffUser } from '../../lib/admin/types';
import { keyedHash } from '../../lib/voting/device-cookie';
import { serverConfig } from '../config';
import { serverClock } from '../clock';
import { clientAddressOf } from '../http/client-address';
import { getStore } from '../store/instance';
import { audit } from './audit';
import { dummyHash, verifyPassword } from './passwords';

export interface StaffContext {
  user: { id: string; username: string; role: StaffRole };
  csrfToken: string;
  /** Only for ending the session; never rendered. */
  sessionId: string;
}

/** What the guard needs of Astro's page or endpoint context. */
export interface RequestContext {
  request: Request;
  cookies: AstroCookies;
  url: URL;
  clientAddress: string;
}

export const LOGIN_FAILED_MESSAGE = '用户名或密码不正确。';

const holder = globalThis as typeof globalThis & { __adminLockouts?: { account: LoginLockout; address: LoginLockout } };

/**
 * Two throttles: per account (the configured limit) and per address hash (four times as many, since
 * a whole office may share one address; it stops one machine from trying account after account).
 */
function lockouts(): { account: LoginLockout; address: LoginLockout } {
  const config = serverConfig();
  const policy = { lockMinutes: config.ADMIN_LOGIN_LOCK_MINUTES, maxLockMinutes: 240, forgetAfterHours: 24 };
  holder.__adminLockouts ??= {
    account: new LoginLockout({ ...policy, maxFailures: config.ADMIN_LOGIN_MAX_FAILURES }),
    address: new LoginLockout({ ...policy, maxFailures: config.ADMIN_LOGIN_MAX_FAILURES * 4 }),
  };
  return holder.__adminLockouts;
}

export function sessionPolicy(): SessionPolicy {
  const config = serverConfig();
  return { idleMinutes: config.ADMIN_SESSION_IDLE_MINUTES, absoluteHours: config.ADMIN_SESSION_ABSOLUTE_HOURS };
}

/** `__Host-` and Secure when the portal is served over HTTPS (by SITE_URL or by this request). */
export function sessionCookie(requestUrl: URL): { name: string; secure: boolean } {
  const secure = new URL(serverConfig().SITE_URL).protocol === 'https:' || requestUrl.protocol === 'https:';
  return { name: secure ? '__Host-portal_admin' : 'portal_admin', secure };
}

function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

function toContext(user: StaffUser, sessionId: string): StaffContext {
  return { user: { id: user.id, username: user.username, role: user.role }, csrfToken: csrfTokenFor(sessionId), sessionId };
}

export type LoginResult = { ok: true; staff: StaffContext } | { ok: false; code: 'INVALID' | 'LOCKED'; lockedUntil: Date | null };

export async function attemptLogin(context: RequestContext, username: string, password: string, now = serverClock.now()): Promise<LoginResult> {
  const store = await getStore();
  const { key } = await store.secrets.addressKeyOfDay(now);
  const addressKey = `address:${keyedHash(key, 'admin-login', clientAddressOf(context.request, context.clientAddress))}`;
  const userKey = `user:${username.toLowerCase()}`;
  const nowMs = now.getTime();
  const locks = lockouts();
  const lockedUntil = locks.account.lockedUntil(userKey, nowMs) ?? locks.address.lockedUntil(addressKey, nowMs);
  if (lockedUntil) {
    await audit({ actor: null, action: 'login.locked', target: username, outcome: 'denied' });
    return { ok: false, code: 'LOCKED', lockedUntil };
  }
  const user = await store.staff.byUsername(username);
  const usable = user !== null && user.disabledAt === null;
  const matches = await verifyPassword(password, usable ? user.passwordHash : await dummyHash());
  if (!usable || !matches) {
    const lockedByUser = locks.account.recordFailure(userKey, nowMs);
    const lockedByAddress = locks.address.recordFailure(addressKey, nowMs);
    await audit({ actor: null, action: 'login', target: username, outcome: 'failed', detail: usable ? '密码错误' : '用户不存在或已停用' });
    const until = lockedByUser ?? lockedByAddress;
    return until ? { ok: false, code: 'LOCKED', lockedUntil: until } : { ok: false, code: 'INVALID', lockedUntil: null };
  }
  locks.account.recordSuccess(userKey);
  const policy = sessionPolicy();
  await store.sessions.prune(
    new Date(nowMs - policy.absoluteHours * 3_600_000).toISOString(),
    new Date(nowMs - policy.idleMinutes * 60_000).toISOString(),
  );
  const sessionId = randomBytes(32).toString('base64url');
  const at = now.toISOString();
  await store.sessions.create({ idHash: hashSessionId(sessionId), userId: user.id, createdAt: at, lastSeenAt: at });
  await audit({ actor: user.username, action: 'login', target: user.username });
  const cookie = sessionCookie(context.url);
  context.cookies.set(cookie.name, sessionId, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: cookie.secure,
    maxAge: Math.round(policy.absoluteHours * 3600),
  });
  return { ok: true, staff: toContext(user, sessionId) };
}

export type SessionLookup = { staff: StaffContext } | { staff: null; expired: boolean };

/** The staff member behind the request's session cookie; refreshes the idle timer. */
export async function currentStaff(context: RequestContext, now = serverClock.now()): Promise<SessionLookup> {
  const cookie = sessionCookie(context.url);
  const sessionId = context.cookies.get(cookie.name)?.value;
  if (!sessionId || sessionId.length > 100) return { staff: null, expired: false };
  const store = await getStore();
  const idHash = hashSessionId(sessionId);
  const session = await store.sessions.get(idHash);
  if (!session) return { staff: null, expired: false };
  const policy = sessionPolicy();
  const state = sessionState(session, policy, now);
  const user = await store.staff.get(session.userId);
  if (!state.valid || !user || user.disabledAt !== null) {
    await store.sessions.delete(idHash);
    if (!state.valid && user) await audit({ actor: user.username, action: 'session.expired', detail: state.reason === 'idle' ? '空闲超时' : '超过最长时限' });
    return { staff: null, expired: true };
  }
  if (shouldTouch(session, policy, now)) await store.sessions.touch(idHash, now.toISOString());
  return { staff: toContext(user, sessionId) };
}

export async function logout(context: RequestContext, staff: StaffContext): Promise<void> {
  await (await getStore()).sessions.delete(hashSessionId(staff.sessionId));
  const cookie = sessionCookie(context.url);
  context.cookies.delete(cookie.name, { path: '/', httpOnly: true, sameSite: 'strict', secure: cookie.secure });
  await audit({ actor: staff.user.username, action: 'logout' });
}
