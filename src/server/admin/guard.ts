/**
 * The one check every admin page and endpoint makes, inside the route itself (never by matching the
 * URL in middleware: the path a route is reached by can be spelled many ways). It returns the staff
 * member, or the Response to send instead: the login page (pages) or 401 (APIs) without a session,
 * 403 for a role that is not enough, 403 for a state-changing request without a valid CSRF token or
 * from another origin.
 */
import { CSRF_FIELD, CSRF_HEADER, isValidCsrfToken } from '~/lib/admin/csrf';
import { ADMIN_MESSAGES, ADMIN_STATUS, type AdminErrorCode } from '~/lib/admin/messages';
import type { StaffRole } from '~/lib/admin/types';
import { isStateChanging } from '~/lib/http/origin-check';
import {
  DEFAULT_BODY_LIMIT_BYTES,
  STAFF_UPLOAD_BODY_LIMIT_BYTES,
  mediaType,
  readFormWithLimit,
  readMultipartWithLimit,
} from '~/server/http/body';
import { crossSiteVerdict } from '~/server/http/cross-site';
import { json } from '~/server/http/json';
import { paths, routePatterns } from '~/paths';
import { audit } from './audit';
import { currentStaff, type RequestContext, type StaffContext } from './auth';

export type { StaffContext };

export interface GuardOptions {
  /** `admin` for user management and the audit log; default: any staff role. */
  role?: StaffRole;
}

type Verdict =
  | { kind: 'ok'; staff: StaffContext }
  | { kind: 'unauthenticated'; expired: boolean }
  | {
      kind: 'refused';
      code: Extract<AdminErrorCode, 'FORBIDDEN' | 'CSRF_INVALID' | 'CROSS_SITE' | 'PAYLOAD_TOO_LARGE'>;
    };

/**
 * The CSRF token the request presents: its header, or its form's field (an upload's too). A body of
 * another type presents none (the page's own read answers 415); one over the limit is refused as such,
 * so that staff uploading too large a file are told so, not that the page expired.
 */
async function presentedCsrfToken(request: Request): Promise<string | null | 'PAYLOAD_TOO_LARGE'> {
  const header = request.headers.get(CSRF_HEADER);
  if (header) return header;
  if (mediaType(request) === 'multipart/form-data') {
    const upload = await readMultipartWithLimit(request.clone(), STAFF_UPLOAD_BODY_LIMIT_BYTES);
    if (!upload.ok) return upload.code === 'PAYLOAD_TOO_LARGE' ? upload.code : null;
    const token = upload.form.get(CSRF_FIELD);
    return typeof token === 'string' ? token : null;
  }
  const read = await readFormWithLimit(request.clone(), DEFAULT_BODY_LIMIT_BYTES);
  if (!read.ok) return read.code === 'PAYLOAD_TOO_LARGE' ? read.code : null;
  return read.form.get(CSRF_FIELD);
}

async function judge(context: RequestContext, options: GuardOptions): Promise<Verdict> {
  const lookup = await currentStaff(context);
  if (!lookup.staff) return { kind: 'unauthenticated', expired: lookup.expired };
  const { staff } = lookup;
  const { request } = context;
  if (isStateChanging(request.method)) {
    const origin = crossSiteVerdict(request);
    if (!origin.allowed) {
      await audit({
        actor: staff.user.username,
        action: 'csrf.rejected',
        target: context.url.pathname,
        outcome: 'denied',
        detail: origin.reason,
      });
      return { kind: 'refused', code: 'CROSS_SITE' };
    }
    const presented = await presentedCsrfToken(request);
    if (presented === 'PAYLOAD_TOO_LARGE') return { kind: 'refused', code: presented };
    if (!isValidCsrfToken(staff.sessionId, presented)) {
      await audit({
        actor: staff.user.username,
        action: 'csrf.rejected',
        target: context.url.pathname,
        outcome: 'denied',
      });
      return { kind: 'refused', code: 'CSRF_INVALID' };
    }
  }
  if (options.role === 'admin' && staff.user.role !== 'admin') {
    await audit({
      actor: staff.user.username,
      action: 'access.denied',
      target: `${request.method} ${context.url.pathname}`,
      outcome: 'denied',
    });
    return { kind: 'refused', code: 'FORBIDDEN' };
  }
  return { kind: 'ok', staff };
}

/** A path worth returning to after login: an admin page, spelled plainly. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !routePatterns.adminPage.test(next) || next.includes('//') || next.includes('..')) return paths.admin();
  return next;
}

/** For pages: the staff member, or a redirect to the login page, or a 403 page. */
export async function requireStaff(
  context: RequestContext,
  options: GuardOptions = {},
): Promise<StaffContext | Response> {
  const verdict = await judge(context, options);
  if (verdict.kind === 'ok') return verdict.staff;
  if (verdict.kind === 'unauthenticated') {
    const next = context.request.method === 'GET' ? safeNextPath(context.url.pathname) : paths.admin();
    const location = paths.adminLogin({ next, expired: verdict.expired ? '1' : undefined });
    return new Response(null, {
      status: 303,
      headers: { location, 'cache-control': 'no-store' },
    });
  }
  return messagePage(ADMIN_STATUS[verdict.code], '无法完成操作', ADMIN_MESSAGES[verdict.code]);
}

/** For JSON endpoints: the staff member, or `{ error: { code, message } }` with 401/403. */
export async function requireStaffApi(
  context: RequestContext,
  options: GuardOptions = {},
): Promise<StaffContext | Response> {
  const verdict = await judge(context, options);
  if (verdict.kind === 'ok') return verdict.staff;
  return adminError(
    verdict.kind === 'unauthenticated' ? (verdict.expired ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED') : verdict.code,
  );
}

export function adminJson(body: unknown, status = 200): Response {
  return json(body, status);
}

export function adminError(code: AdminErrorCode, extra: Record<string, unknown> = {}): Response {
  const error = {
    code: code === 'SESSION_EXPIRED' ? 'UNAUTHENTICATED' : code,
    message: ADMIN_MESSAGES[code],
    ...extra,
  };
  return adminJson({ error }, ADMIN_STATUS[code]);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A small complete page for refusals, so a refused request never reaches the page's own code. */
export function messagePage(status: number, title: string, message: string): Response {
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} - 管理后台</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.6"><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="${paths.admin()}">返回管理后台首页</a></p></main></body></html>`;
  return new Response(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}
