/**
 * Every machine code the voting API can answer, with the Chinese sentence a person reads.
 * The JSON API sends both; the no-JS form handler redirects with `?error=CODE` and the page looks the
 * sentence up here, so a code and its wording never drift apart. Codes the HTTP edge answers for
 * every route (PAYLOAD_TOO_LARGE, CROSS_SITE, INTERNAL_ERROR …) come from `../http/api-errors`.
 */
import { CROSS_SITE_MESSAGES, EDGE_ERRORS } from '~/lib/http/api-errors';

export const VOTING_MESSAGES = {
  NOT_FOUND: '没有找到这项征集活动。',
  INVALID_JSON: '提交的内容不是有效的 JSON，请刷新页面后重试。',
  INVALID_BALLOT: '提交的内容格式不正确，请刷新页面后重试。',
  PAYLOAD_TOO_LARGE: EDGE_ERRORS.PAYLOAD_TOO_LARGE.message,
  UNSUPPORTED_MEDIA_TYPE: '提交方式不受支持，请通过页面上的表单投票。',
  UNKNOWN_CANDIDATE: '所选产品不在本次征集的候选名单中，请刷新页面后重新选择。',
  DUPLICATE_CHOICE: '同一产品只能选择一次。',
  TOO_MANY_CHOICES: '选择的产品超过了本次征集允许的数量，请减少后再提交。',
  EMPTY_BALLOT: '请至少选择一个产品，或填写一条您希望抽查的产品建议。',
  INVALID_WRITE_IN:
    '自填建议不符合要求：产品名称和问题描述不能为空，产品名称不超过 40 字，问题描述不超过 200 字，购买场所不超过 100 字，最多填写 3 条。',
  UNKNOWN_DISTRICT: '请选择上海市的一个区（或临港新片区）。',
  CAMPAIGN_NOT_OPEN: '本次征集尚未开始，请在开始时间后再来投票。',
  CAMPAIGN_CLOSED: '本次征集已经结束，感谢关注。',
  ALREADY_VOTED: '这台设备已经在本次征集中投过票，每台设备只能投一次。',
  UNKNOWN_EVENT: '活动码无效，请核对现场公布的活动码。',
  EVENT_NOT_ACTIVE: '该现场活动不在投票时间内，您仍可以直接在线投票。',
  INVALID_KIOSK: '现场投票设备的链接无效或已停用，请联系现场工作人员。',
  KIOSK_TOO_FAST: '请稍候几秒，让上一位投票人离开后再投下一票。',
  RATE_LIMITED: '提交过于频繁，请稍后再试。',
  DEVICE_COOKIE_REQUIRED:
    '请先打开投票页面再投票：这台设备还没有领取投票凭证（浏览器需要允许本站的 Cookie）。现在已经发放，请回到投票页面重新提交。',
  DEVICE_COOKIE_TOO_NEW: '请先看一看候选产品，几秒钟后再提交投票。',
  CROSS_SITE: CROSS_SITE_MESSAGES.voting,
  TALLY_NOT_PUBLIC: '本次征集进行期间不公开实时票数，结果将在征集结束后公布。',
  STORE_UNAVAILABLE: '系统暂时无法保存您的投票，您的这次提交没有被记录，请稍后重试。',
  INTERNAL_ERROR: EDGE_ERRORS.INTERNAL_ERROR.message,
} as const;

export type VotingErrorCode = keyof typeof VOTING_MESSAGES;

export function isVotingErrorCode(value: string): value is VotingErrorCode {
  return Object.hasOwn(VOTING_MESSAGES, value);
}

/** The sentence for a code taken from a URL (`?error=`); unknown codes get the generic one. */
export function votingMessage(code: string | null | undefined): string {
  return code && isVotingErrorCode(code) ? VOTING_MESSAGES[code] : VOTING_MESSAGES.INTERNAL_ERROR;
}

/** The HTTP status each code is answered with. */
export const VOTING_STATUS: Record<VotingErrorCode, number> = {
  NOT_FOUND: 404,
  INVALID_JSON: EDGE_ERRORS.INVALID_JSON.status,
  INVALID_BALLOT: 400,
  PAYLOAD_TOO_LARGE: EDGE_ERRORS.PAYLOAD_TOO_LARGE.status,
  UNSUPPORTED_MEDIA_TYPE: EDGE_ERRORS.UNSUPPORTED_MEDIA_TYPE.status,
  UNKNOWN_CANDIDATE: 400,
  DUPLICATE_CHOICE: 400,
  TOO_MANY_CHOICES: 400,
  EMPTY_BALLOT: 400,
  INVALID_WRITE_IN: 400,
  UNKNOWN_DISTRICT: 400,
  CAMPAIGN_NOT_OPEN: 403,
  CAMPAIGN_CLOSED: 403,
  ALREADY_VOTED: 409,
  UNKNOWN_EVENT: 400,
  EVENT_NOT_ACTIVE: 403,
  INVALID_KIOSK: 403,
  KIOSK_TOO_FAST: 429,
  RATE_LIMITED: 429,
  DEVICE_COOKIE_REQUIRED: 428,
  DEVICE_COOKIE_TOO_NEW: 428,
  CROSS_SITE: EDGE_ERRORS.CROSS_SITE.status,
  TALLY_NOT_PUBLIC: 403,
  STORE_UNAVAILABLE: 503,
  INTERNAL_ERROR: EDGE_ERRORS.INTERNAL_ERROR.status,
};
