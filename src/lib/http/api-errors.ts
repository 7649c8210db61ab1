/**
 * The error codes the HTTP edge answers for every route (body size, media type, method, JSON
 * syntax, cross-site refusal, stream caps, unexpected failures): one code per meaning, one status
 * per code, one Chinese sentence. The feature tables (voting, admin, assistant) take these entries
 * from here instead of spelling them again, so a code never means two things or answers two statuses.
 */
import { routePatterns } from '~/paths';

export const EDGE_ERRORS = {
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容过长，请精简后再提交。' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '提交方式不受支持，请直接在本站页面上操作。' },
  METHOD_NOT_ALLOWED: { status: 405, message: '这个地址不接受这种请求方式。' },
  INVALID_JSON: { status: 400, message: '提交的内容不是有效的 JSON，请刷新页面后重试。' },
  MALFORMED_BODY: { status: 400, message: '提交的内容无法读取（上传不完整或格式有误），请刷新页面后重试。' },
  CROSS_SITE: { status: 403, message: '请求来自其他网站，已被拒绝。请直接在本站页面上操作。' },
  TOO_MANY_STREAMS: { status: 429, message: '同时打开的实时票数页面过多，请关闭一些页面后再试。' },
  INTERNAL_ERROR: { status: 500, message: '系统出现错误，请稍后重试。' },
} as const satisfies Record<string, { status: number; message: string }>;

export type EdgeErrorCode = keyof typeof EDGE_ERRORS;

/** The part of the site a request belongs to: a refusal speaks that part's language. */
export type SiteArea = 'voting' | 'admin' | 'assistant';

/** The cross-site refusal as each area words it (the admin and the assistant name what was refused). */
export const CROSS_SITE_MESSAGES: Record<SiteArea, string> = {
  voting: EDGE_ERRORS.CROSS_SITE.message,
  admin: '请求来自其他网站，已被拒绝。',
  assistant: '请求来自其他网站，已被拒绝。请直接在本站页面提问。',
};

/** The area of a request path: `/admin/…` and `/api/admin/…` are the staff's, `/assistant/…` the assistant's. */
export function siteAreaOf(pathname: string): SiteArea {
  if (routePatterns.adminArea.test(pathname)) return 'admin';
  if (routePatterns.assistantArea.test(pathname)) return 'assistant';
  return 'voting';
}

/**
 * The machine interface's own refusals (/api/v1/: the bureau's systems posting announcements with
 * a token). Its other answers use the edge's codes above and the publishing service's codes.
 */
export const MACHINE_API_ERRORS = {
  TOKEN_REQUIRED: { status: 401, message: '缺少访问令牌：请在请求头中携带 Authorization: Bearer <令牌>。' },
  TOKEN_INVALID: { status: 401, message: '访问令牌无效或已被吊销，请联系管理员在“接口令牌”页面重新签发。' },
  SCOPE_MISSING: { status: 403, message: '这个访问令牌没有执行此操作的权限。' },
  SUBMISSION_INVALID: {
    status: 422,
    message: '提交的公告有误，没有保存任何内容。请按 problems 中的说明逐条修改后重新提交。',
  },
  SPREADSHEET_REFUSED: { status: 422, message: '上传的表格无法读取，没有保存任何内容。' },
  NOT_FOUND: { status: 404, message: '没有找到这条公告，或它不是用这个令牌提交的。' },
} as const satisfies Record<string, { status: number; message: string }>;

export type MachineApiErrorCode = keyof typeof MACHINE_API_ERRORS;
