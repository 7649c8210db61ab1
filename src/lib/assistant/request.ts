/**
 * The assistant's API contract: the request body, its limits and the errors, with their
 * Chinese messages. Limits are counted in characters as a person sees them.
 */
import { z } from 'zod';
import { CROSS_SITE_MESSAGES, EDGE_ERRORS } from '~/lib/http/api-errors';

export const LIMITS = {
  questionChars: 500,
  /** The path of the page the chat sits on (a slug path, e.g. /announcements/<slug>/). */
  pageChars: 200,
  historyTurns: 10,
  historyChars: 4000,
} as const;

export const ERROR_MESSAGES = {
  INVALID_JSON: '请求格式不正确：需要 JSON 格式的问题。',
  INVALID_REQUEST: '请求内容不完整或格式不对，请刷新页面后重试。',
  EMPTY_QUESTION: '请先输入您的问题。',
  QUESTION_TOO_LONG: `问题太长了，请控制在 ${LIMITS.questionChars} 字以内。`,
  HISTORY_TOO_LONG: `对话太长了（最多保留 ${LIMITS.historyTurns} 轮、${LIMITS.historyChars} 字），请点击“新对话”后再问。`,
  RATE_LIMITED: '提问太频繁了，请稍等一分钟再试。',
  BUSY: '当前提问的人较多，请稍后再试。',
  CROSS_SITE: CROSS_SITE_MESSAGES.assistant,
  UNSUPPORTED_MEDIA_TYPE: '请求格式不正确：请以 application/json 提交。',
  PAYLOAD_TOO_LARGE: '请求内容过大。',
  INTERNAL_ERROR: '服务暂时出现问题，请稍后再试。',
} as const;

export type AssistantErrorCode = keyof typeof ERROR_MESSAGES;

export const ERROR_STATUS: Record<AssistantErrorCode, number> = {
  INVALID_JSON: EDGE_ERRORS.INVALID_JSON.status,
  INVALID_REQUEST: 400,
  EMPTY_QUESTION: 400,
  QUESTION_TOO_LONG: 400,
  HISTORY_TOO_LONG: 400,
  RATE_LIMITED: 429,
  BUSY: 429,
  CROSS_SITE: EDGE_ERRORS.CROSS_SITE.status,
  UNSUPPORTED_MEDIA_TYPE: EDGE_ERRORS.UNSUPPORTED_MEDIA_TYPE.status,
  PAYLOAD_TOO_LARGE: EDGE_ERRORS.PAYLOAD_TOO_LARGE.status,
  INTERNAL_ERROR: EDGE_ERRORS.INTERNAL_ERROR.status,
};

export class AssistantRequestError extends Error {
  constructor(readonly code: AssistantErrorCode) {
    super(ERROR_MESSAGES[code]);
  }
}

export function errorBody(code: AssistantErrorCode) {
  return { error: { code, message: ERROR_MESSAGES[code] } };
}

const turnSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
});

/** A path of this site, never a full URL or free text: it only picks which pages weigh more. */
export const pagePathSchema = z
  .string()
  .max(LIMITS.pageChars)
  .regex(/^\/[A-Za-z0-9\-_./%]*$/);

const bodySchema = z.object({
  question: z.string(),
  history: z.array(turnSchema).default([]),
  page: pagePathSchema.optional(),
});

export type AssistantRequest = z.output<typeof bodySchema>;

const charCount = (text: string) => [...text].length;

/** Validates a parsed JSON body against the contract and its limits; throws the matching error. */
export function parseAssistantRequest(body: unknown): AssistantRequest {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) throw new AssistantRequestError('INVALID_REQUEST');
  const question = parsed.data.question.trim();
  if (!question) throw new AssistantRequestError('EMPTY_QUESTION');
  if (charCount(question) > LIMITS.questionChars) throw new AssistantRequestError('QUESTION_TOO_LONG');
  const history = parsed.data.history;
  if (
    history.length > LIMITS.historyTurns * 2 ||
    history.reduce((sum, turn) => sum + charCount(turn.content), 0) > LIMITS.historyChars
  ) {
    throw new AssistantRequestError('HISTORY_TOO_LONG');
  }
  return { question, history, ...(parsed.data.page ? { page: parsed.data.page } : {}) };
}

/**
 * The most recent turns that fit the limits, for the island to send: a long conversation
 * forgets its beginning instead of failing.
 */
export function trimHistory<T extends { content: string }>(turns: readonly T[]): T[] {
  const kept: T[] = [];
  let chars = 0;
  for (let i = turns.length - 1; i >= 0 && kept.length < LIMITS.historyTurns * 2; i--) {
    const turn = turns[i]!;
    chars += charCount(turn.content);
    if (chars > LIMITS.historyChars) break;
    kept.unshift(turn);
  }
  return kept;
}
