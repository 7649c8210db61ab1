/**
 * Machine codes of the admin API and the Chinese sentence a person reads for each; the codes the
 * HTTP edge answers for every route come from `../http/api-errors`.
 */
import { CROSS_SITE_MESSAGES, EDGE_ERRORS } from '~/lib/http/api-errors';
import { ATTACHMENT_TYPES_TEXT } from '~/lib/publishing/attachments';

export const ADMIN_MESSAGES = {
  UNAUTHENTICATED: '请先登录管理后台。',
  SESSION_EXPIRED: '登录已过期，请重新登录。',
  FORBIDDEN: '您的账号没有执行此操作的权限，如需办理请联系管理员。',
  CSRF_INVALID: '页面已失效（安全校验未通过），请刷新页面后重试。',
  CROSS_SITE: CROSS_SITE_MESSAGES.admin,
  INVALID_JSON: '提交的内容不是有效的 JSON。',
  PAYLOAD_TOO_LARGE: EDGE_ERRORS.PAYLOAD_TOO_LARGE.message,
  UNSUPPORTED_MEDIA_TYPE: EDGE_ERRORS.UNSUPPORTED_MEDIA_TYPE.message,
  MALFORMED_BODY: EDGE_ERRORS.MALFORMED_BODY.message,
  VALIDATION_FAILED: '提交的内容有误，请按提示修改后重试。',
  VERSION_CONFLICT: '这条记录刚被其他工作人员修改过，您的修改没有保存。请刷新页面查看最新内容后再操作。',
  NOT_FOUND: '没有找到要操作的记录。',
  STORE_UNAVAILABLE: '系统暂时无法保存，您的修改没有生效，请稍后重试。',
  SELF_APPROVAL: '本单位实行双人审核：不能审核通过自己编写或修改的内容，请由另一位审核人审核。',
  WRONG_STAGE: '这条内容当前的状态不允许此操作，请刷新页面查看最新状态。',
  CORRECTION_NOTE_REQUIRED: '更正已发布的内容时必须填写更正说明，写明更正了什么、为什么更正。',
  NO_CHANGE: '更正稿与已发布的内容完全相同，没有需要审核的更正。',
  SCHEDULE_INVALID: '定时发布时间有误，请重新选择。',
  REASON_REQUIRED: '请填写原因。',
  WITHDRAWN: '这条内容已撤回，不能再修改或发布。',
  ATTACHMENT_TYPE_REFUSED: `附件只能是 ${ATTACHMENT_TYPES_TEXT}；按文件内容识别，改扩展名无效。`,
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
  MALFORMED_BODY: EDGE_ERRORS.MALFORMED_BODY.status,
  VALIDATION_FAILED: 400,
  VERSION_CONFLICT: 409,
  NOT_FOUND: 404,
  STORE_UNAVAILABLE: 503,
  SELF_APPROVAL: 403,
  WRONG_STAGE: 409,
  CORRECTION_NOTE_REQUIRED: 400,
  NO_CHANGE: 400,
  SCHEDULE_INVALID: 400,
  REASON_REQUIRED: 400,
  WITHDRAWN: 409,
  ATTACHMENT_TYPE_REFUSED: 415,
  ALREADY_SET_ASIDE: 409,
};
