/**
 * The machine interface's guard: the Bearer token of every request, its scope, and the audit of
 * each use. Uses are audited per token, route and answer in windows: the first of a window is
 * written at once, the rest as one summary line when the window has ended, so a client polling a
 * status every second (or a script trying secrets) costs the log a few lines, not thousands.
 * Every draft a token creates is audited on its own by the publishing service.
 */
import { RefusalLedger, type ClosedWindow } from '~/lib/admin/audit-entries';
import { MACHINE_API_ERRORS, type MachineApiErrorCode } from '~/lib/http/api-errors';
import { bearerSecret, hasScope } from '~/lib/publishing/api-tokens';
import type { ApiToken, ApiTokenScope } from '~/lib/publishing/model';
import { audit, type AuditInput } from '~/server/admin/audit';
import { now } from '~/server/clock';
import { errorJson } from '~/server/http/json';
import { getStore } from '~/server/store/instance';

/** Uses of one token, route and answer are written once per this window, then summed up. */
const USE_WINDOW_MS = 10 * 60_000;

const holder = globalThis as typeof globalThis & { __machineApiUses?: RefusalLedger<AuditInput> };
const uses = (): RefusalLedger<AuditInput> => (holder.__machineApiUses ??= new RefusalLedger(USE_WINDOW_MS, 1_000));

async function writeClosed(closed: readonly ClosedWindow<AuditInput>[]): Promise<void> {
  for (const window of closed) {
    const span = `${new Date(window.startedAt).toISOString()} 至 ${new Date(window.lastAt).toISOString()}`;
    await audit({ ...window.first, detail: `${window.first.detail ?? ''}；同类请求另有 ${window.more} 次（${span}）` });
  }
}

/** Audits one use of the interface (or one refused attempt): at once, or counted into its window's summary. */
export async function auditUse(entry: AuditInput & { actor: string }): Promise<void> {
  const key = `${entry.actor}|${entry.action}|${entry.target ?? ''}|${entry.outcome ?? 'ok'}|${entry.detail ?? ''}`;
  const { writeNow, closed } = uses().record(key, entry, now().getTime());
  await writeClosed(closed);
  if (writeNow) await audit(entry);
}

/** Writes the summaries of windows that have ended (the audit page calls it before reading). */
export async function flushMachineApiUses(at: Date = now()): Promise<void> {
  await writeClosed(uses().closeEnded(at.getTime()));
}

export const tokenActor = (token: Pick<ApiToken, 'name'>): string => `token:${token.name}`;

export function machineError(code: MachineApiErrorCode, extra: Record<string, unknown> = {}): Response {
  const { status, message } = MACHINE_API_ERRORS[code];
  const headers: HeadersInit =
    status === 401
      ? {
          'www-authenticate': `Bearer realm="api", error="${code === 'TOKEN_REQUIRED' ? 'invalid_request' : 'invalid_token'}"`,
        }
      : {};
  return errorJson(code, message, status, headers, extra);
}

/**
 * The token the request presents, when it is valid, not revoked and has `scope`; otherwise the
 * 401/403 to answer. A valid token's last use is recorded by the store as it is looked up.
 */
export async function requireToken(
  request: Request,
  scope: ApiTokenScope,
  route: string,
): Promise<{ ok: true; token: ApiToken } | { ok: false; response: Response }> {
  const secret = bearerSecret(request.headers.get('authorization'));
  const target = `${request.method} ${route}`;
  if (!secret) return { ok: false, response: machineError('TOKEN_REQUIRED') };
  const token = await (await getStore()).apiTokens.bySecret(secret, now().toISOString());
  if (!token) {
    // The secret is not logged: a mistyped one would be half a credential in the log.
    await auditUse({
      actor: 'token:（无效）',
      action: 'api.denied',
      target,
      outcome: 'denied',
      detail: '无效或已吊销的令牌',
    });
    return { ok: false, response: machineError('TOKEN_INVALID') };
  }
  if (!hasScope(token, scope)) {
    await auditUse({
      actor: tokenActor(token),
      action: 'api.denied',
      target,
      outcome: 'denied',
      detail: `缺少权限 ${scope}`,
    });
    return { ok: false, response: machineError('SCOPE_MISSING', { scope }) };
  }
  return { ok: true, token };
}
