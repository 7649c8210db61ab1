/**
 * Machine codes of the admin API and the Chinese sentence a person reads for each; the codes the
 * HTTP edge answers for every route come from `../http/api-errors`.
 */
import { CROSS_SITE_MESSAGES, EDGE_ERRORS } from '~/lib/http/api-errors';

export const ADMIN_MESSAGES = {
  UNAUTHENTICATED: '请先登录管理后台。',
  SESSION_EXPIRED: '登录已过期，请重新登录。',
  FORBIDDEN: '您的账号没有执行此操作的权限，如需办理请联系管理员。',
  CSRF_INVALID: '页面已失效（安全校验未通过），请刷新页面后重试。',
  CROSS_SITE: CROSS_SITE_MESSAGES.admin,
  INVALID_JSON: '提交的内容不是有效的 JSON。',
  PAYLOAD_TOO_LARGE: EDGE_ERRORS.PAYLOAD_TOO_LARGE.message,
  UNSUPPORTED_MEDIA_TYPE: EDGE_ERRORS.UNSUPPORTED_MEDIA_TYPE.message,
  VALIDATION_FAILED: '提交的内容有误，请按提示修改后重试。',
  VERSION_CONFLICT: '这条记录刚被其他工作人员修改过，您的修改没有保存。请刷新页面查看最新内容后再操作。',
  NOT_FOUND: '没有找到要操作的记录。',
  STORE_UNAVAILABLE: '系统暂时无法保存，您的修改没有生效，请稍后重试。',
  ALREADY_SET_ASIDE: '这组选票已经全部剔除，无需再次操作。',
} as const;

export type AdminErrorCode = keyof typeof ADMIN_MESSAGES;

export const ADMIN_STATUS: Record<AdminErrorCode, number> = {
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  CROSS_SITE: EDGE_ERRORS.CROSS_SITE.status,
  INVALID_JSON: EDGE_ERRORS.INVALID_JSON.status,
  PAYLOAD_TOO_LARGE: EDGE_ERRORS.PAYLOAD_TOO_LARGE.status,
  UNSUPPORTED_MEDIA_TYPE: EDGE_ERRORS.UNSUPPORTED_MEDIA_TYPE.status,
  VALIDATION_FAILED: 400,
  VERSION_CONFLICT: 409,
  NOT_FOUND: 404,
  STORE_UNAVAILABLE: 503,
  ALREADY_SET_ASIDE: 409,
};
