/**
 * Staff login and sessions. The cookie carries a random 256-bit session id; the store keeps only its
 * SHA-256, so a copied data folder holds no working session. Failed logins are throttled per account
 * and address, per address and (as a delay) per account (LoginThrottle); password checks run at most
 * two at a time (ConcurrencyGate); an unknown user costs as much time as a wrong password.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AstroCookies } from 'astro';
import { csrfTokenFor } from '~/lib/admin/csrf';
import { maskUnknownUsername, RefusalLedger, type ClosedWindow } from '~/lib/admin/audit-entries';
import { ConcurrencyGate } from '~/lib/admin/concurrency-gate';
import { canonicalUsername, LoginThrottle } from '~/lib/admin/login-throttle';
import { sessionState, shouldTouch, type SessionPolicy } from '~/lib/admin/session-expiry';
import { ADMIN_MESSAGES } from '~/lib/admin/messages';
import { VersionConflictError, type StaffRole, type StaffUser } from '~/lib/admin/types';
import { keyedHash } from '~/lib/voting/device-cookie';
import { serverConfig } from '~/server/config';
import { now } from '~/server/clock';
import { clientAddressOf } from '~/server/http/client-address';
import { getStore } from '~/server/store/instance';
import { formatBeijingTimeOfDay } from '~/lib/time/beijing';
import { audit, type AuditInput } from './audit';
import { dummyHash, verifyPassword } from './passwords';
import { setPassword } from './users';

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

/** What the login page says for a refused login. */
export function loginRefusalMessage(code: 'INVALID' | 'LOCKED' | 'SLOWED' | 'BUSY', retryAt: Date | null): string {
  if (code === 'INVALID' || !retryAt) return LOGIN_FAILED_MESSAGE;
  if (code === 'LOCKED')
    return `登录失败次数过多，已暂时锁定。请在 ${formatBeijingTimeOfDay(retryAt)}（北京时间）之后再试，或换一台电脑登录。`;
  if (code === 'SLOWED')
    return `这个账号近期有多次登录失败，为安全起见登录已放慢。请在 ${formatBeijingTimeOfDay(retryAt)}（北京时间）之后再试。`;
  return '登录的人太多，系统正忙，请稍等几秒再试。';
}

const holder = globalThis as typeof globalThis & {
  __adminLogin?: { throttle: LoginThrottle; gate: ConcurrencyGate; refusals: RefusalLedger<AuditInput> };
};

/** Password checks at once, and waiting: enough for a team logging in, too few to starve the voters. */
const PASSWORD_CHECKS_AT_ONCE = 2;
const PASSWORD_CHECKS_WAITING = 4;
const BUSY_RETRY_SECONDS = 2;
/** Refused logins of one kind are written once per this window, then summed up. */
const REFUSAL_WINDOW_MS = 10 * 60_000;

function loginState(): { throttle: LoginThrottle; gate: ConcurrencyGate; refusals: RefusalLedger<AuditInput> } {
  const config = serverConfig();
  holder.__adminLogin ??= {
    throttle: new LoginThrottle({
      maxFailures: config.ADMIN_LOGIN_MAX_FAILURES,
      lockMinutes: config.ADMIN_LOGIN_LOCK_MINUTES,
      maxLockMinutes: 240,
      slowdownAfter: config.ADMIN_LOGIN_MAX_FAILURES * 2,
      delaySeconds: 1,
      maxDelaySeconds: 60,
      maxKeys: 10_000,
    }),
    gate: new ConcurrencyGate(PASSWORD_CHECKS_AT_ONCE, PASSWORD_CHECKS_WAITING),
    refusals: new RefusalLedger<AuditInput>(REFUSAL_WINDOW_MS, 1_000),
  };
  return holder.__adminLogin;
}

async function writeClosedRefusals(closed: readonly ClosedWindow<AuditInput>[]): Promise<void> {
  for (const window of closed) {
    const span = `${new Date(window.startedAt).toISOString()} 至 ${new Date(window.lastAt).toISOString()}`;
    await audit({ ...window.first, detail: `同类拒绝另有 ${window.more} 次（${span}）` });
  }
}

/**
 * Audits a refused login: the first of its kind in a window at once, the others as one summary.
 * The key uses only the account (never a name that is no account), so invented names cannot open
 * a window each.
 */
async function auditRefusal(entry: AuditInput, account: string | null, nowMs: number): Promise<void> {
  const key = `${entry.action}|${entry.outcome}|${account ?? '（非现有账号）'}|${entry.detail ?? ''}`;
  const { writeNow, closed } = loginState().refusals.record(key, entry, nowMs);
  await writeClosedRefusals(closed);
  if (writeNow) await audit(entry);
}

/** Writes the summaries of refusal windows that have ended (the audit page calls it before reading). */
export async function flushRefusedLogins(at: Date = now()): Promise<void> {
  await writeClosedRefusals(loginState().refusals.closeEnded(at.getTime()));
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
  return {
    user: { id: user.id, username: user.username, role: user.role },
    csrfToken: csrfTokenFor(sessionId),
    sessionId,
  };
}

export type LoginResult =
  | { ok: true; staff: StaffContext }
  /** LOCKED: this account from this address (or this address) is locked; SLOWED: the account's checks are spaced out; BUSY: too many checks at once. */
  | { ok: false; code: 'INVALID' | 'LOCKED' | 'SLOWED' | 'BUSY'; retryAt: Date | null };

export async function attemptLogin(
  context: RequestContext,
  typedUsername: string,
  password: string,
  at: Date = now(),
): Promise<LoginResult> {
  const store = await getStore();
  const { key } = await store.secrets.addressKeyOfDay(at);
  const address = keyedHash(key, 'admin-login', clientAddressOf(context.request, context.clientAddress));
  const username = canonicalUsername(typedUsername);
  const user = await store.staff.byUsername(username);
  const account = user ? user.username : null;
  const target = account ?? maskUnknownUsername(username);
  const nowMs = at.getTime();
  const { throttle, gate } = loginState();
  // From the limits check to the start of the check nothing awaits, so concurrent attempts see each
  // other's counts: a burst gets no more password checks than the limits allow.
  if (gate.full) {
    await auditRefusal({ actor: null, action: 'login.busy', target, outcome: 'denied' }, account, nowMs);
    return { ok: false, code: 'BUSY', retryAt: new Date(nowMs + BUSY_RETRY_SECONDS * 1000) };
  }
  const admission = throttle.admit(username, address, nowMs);
  if (!admission.allowed) {
    const action = admission.reason === 'locked' ? 'login.locked' : 'login.slowed';
    await auditRefusal({ actor: null, action, target, outcome: 'denied' }, account, nowMs);
    return { ok: false, code: admission.reason === 'locked' ? 'LOCKED' : 'SLOWED', retryAt: admission.retryAt };
  }
  const usable = user !== null && user.disabledAt === null;
  const checking = gate.tryRun(async () => verifyPassword(password, usable ? user.passwordHash : await dummyHash()));
  // `gate.full` was false and nothing ran in between, so the gate took the check.
  const matches = checking ? await checking : false;
  if (!usable || !matches) {
    await auditRefusal(
      { actor: null, action: 'login', target, outcome: 'failed', detail: usable ? '密码错误' : '用户不存在或已停用' },
      account,
      nowMs,
    );
    return admission.lockedIfWrong
      ? { ok: false, code: 'LOCKED', retryAt: admission.lockedIfWrong }
      : { ok: false, code: 'INVALID', retryAt: null };
  }
  throttle.succeeded(username, address, nowMs);
  const staff = await startSession(context, user, at);
  await audit({ actor: user.username, action: 'login', target: user.username });
  return { ok: true, staff };
}

/** A new session for the user, its cookie set on the response. */
async function startSession(context: RequestContext, user: StaffUser, at: Date): Promise<StaffContext> {
  const store = await getStore();
  const policy = sessionPolicy();
  const nowMs = at.getTime();
  await store.sessions.prune(
    new Date(nowMs - policy.absoluteHours * 3_600_000).toISOString(),
    new Date(nowMs - policy.idleMinutes * 60_000).toISOString(),
  );
  const sessionId = randomBytes(32).toString('base64url');
  const createdAt = at.toISOString();
  await store.sessions.create({ idHash: hashSessionId(sessionId), userId: user.id, createdAt, lastSeenAt: createdAt });
  const cookie = sessionCookie(context.url);
  context.cookies.set(cookie.name, sessionId, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: cookie.secure,
    maxAge: Math.round(policy.absoluteHours * 3600),
  });
  return toContext(user, sessionId);
}

export type OwnPasswordResult =
  | { ok: true; staff: StaffContext }
  | { ok: false; field: 'currentPassword' | 'newPassword'; message: string; status: number; retryAt: Date | null };

/**
 * A staff member changes their own password: the current one is checked under the same limits as a
 * login (a stolen session must not become a way to guess it); the change ends every session of the
 * account, and this one continues in a fresh session.
 */
export async function changeOwnPassword(
  context: RequestContext,
  staff: StaffContext,
  currentPassword: string,
  newPassword: string,
  at: Date = now(),
): Promise<OwnPasswordResult> {
  const store = await getStore();
  const user = await store.staff.get(staff.user.id);
  if (!user || user.disabledAt !== null)
    return { ok: false, field: 'currentPassword', message: ADMIN_MESSAGES.NOT_FOUND, status: 404, retryAt: null };
  const { key } = await store.secrets.addressKeyOfDay(at);
  const address = keyedHash(key, 'admin-login', clientAddressOf(context.request, context.clientAddress));
  const nowMs = at.getTime();
  const { throttle, gate } = loginState();
  const refused = (code: 'LOCKED' | 'SLOWED' | 'BUSY', retryAt: Date): OwnPasswordResult => ({
    ok: false,
    field: 'currentPassword',
    message: loginRefusalMessage(code, retryAt),
    status: 429,
    retryAt,
  });
  if (gate.full) return refused('BUSY', new Date(nowMs + BUSY_RETRY_SECONDS * 1000));
  const admission = throttle.admit(user.username, address, nowMs);
  if (!admission.allowed) return refused(admission.reason === 'locked' ? 'LOCKED' : 'SLOWED', admission.retryAt);
  const checking = gate.tryRun(() => verifyPassword(currentPassword, user.passwordHash));
  if (!(checking ? await checking : false)) {
    await audit({
      actor: user.username,
      action: 'user.own-password',
      target: user.username,
      outcome: 'failed',
      detail: '当前密码不正确',
    });
    if (admission.lockedIfWrong) return refused('LOCKED', admission.lockedIfWrong);
    return { ok: false, field: 'currentPassword', message: '当前密码不正确。', status: 400, retryAt: null };
  }
  throttle.succeeded(user.username, address, nowMs);
  if (newPassword === currentPassword)
    return { ok: false, field: 'newPassword', message: '新密码不能与当前密码相同。', status: 400, retryAt: null };
  let result: Awaited<ReturnType<typeof setPassword>>;
  try {
    result = await setPassword(store, user, user.version, newPassword);
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    await audit({ actor: user.username, action: 'user.own-password', target: user.username, outcome: 'conflict' });
    return {
      ok: false,
      field: 'currentPassword',
      message: ADMIN_MESSAGES.VERSION_CONFLICT,
      status: 409,
      retryAt: null,
    };
  }
  if (!result.ok) return { ok: false, field: 'newPassword', message: result.message, status: 400, retryAt: null };
  await audit({
    actor: user.username,
    action: 'user.own-password',
    target: user.username,
    detail: '其他登录会话已结束',
  });
  const changed = await store.staff.get(user.id);
  return { ok: true, staff: await startSession(context, changed ?? user, at) };
}

export type SessionLookup = { staff: StaffContext } | { staff: null; expired: boolean };

/** The staff member behind the request's session cookie; refreshes the idle timer. */
export async function currentStaff(context: RequestContext, at: Date = now()): Promise<SessionLookup> {
  const cookie = sessionCookie(context.url);
  const sessionId = context.cookies.get(cookie.name)?.value;
  if (!sessionId || sessionId.length > 100) return { staff: null, expired: false };
  const store = await getStore();
  const idHash = hashSessionId(sessionId);
  const session = await store.sessions.get(idHash);
  if (!session) return { staff: null, expired: false };
  const policy = sessionPolicy();
  const state = sessionState(session, policy, at);
  const user = await store.staff.get(session.userId);
  if (!state.valid || !user || user.disabledAt !== null) {
    await store.sessions.delete(idHash);
    if (!state.valid && user)
      await audit({
        actor: user.username,
        action: 'session.expired',
        detail: state.reason === 'idle' ? '空闲超时' : '超过最长时限',
      });
    return { staff: null, expired: true };
  }
  if (shouldTouch(session, policy, at)) await store.sessions.touch(idHash, at.toISOString());
  return { staff: toContext(user, sessionId) };
}

export async function logout(context: RequestContext, staff: StaffContext): Promise<void> {
  await (await getStore()).sessions.delete(hashSessionId(staff.sessionId));
  const cookie = sessionCookie(context.url);
  context.cookies.delete(cookie.name, { path: '/', httpOnly: true, sameSite: 'strict', secure: cookie.secure });
  await audit({ actor: staff.user.username, action: 'logout' });
}
