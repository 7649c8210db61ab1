/** JSON answers of every API route: one content type, never cached, one error shape. */
import type { ServerResponse } from 'node:http';
import { EDGE_ERRORS, type EdgeErrorCode } from '~/lib/http/api-errors';

/** A JSON answer before it becomes a web Response (Astro routes) or is written to node:http (the entry). */
export interface JsonAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

export function jsonAnswer(body: unknown, status = 200, headers: Record<string, string> = {}): JsonAnswer {
  return { status, headers: { ...headers, ...JSON_HEADERS }, body };
}

export function responseOf(answer: JsonAnswer): Response {
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
}

/**
 * Writes the answer straight to node:http, next to the headers the entry already set (security headers).
 * When `endAfter` is given the answer is sent at once but the response (and with `connection: close`,
 * the connection) ends only when it settles.
 */
export function writeJsonAnswer(answer: JsonAnswer, res: ServerResponse, endAfter?: Promise<void>): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(text) });
  if (!endAfter) return void res.end(text);
  res.write(text);
  void endAfter.then(() => res.end());
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return responseOf(jsonAnswer(body, status, headers));
}

/** `{ "error": { "code", "message", …extra } }`: the one error shape of the API. */
export function errorAnswer(
  code: string,
  message: string,
  status: number,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): JsonAnswer {
  return jsonAnswer({ error: { code, message, ...extra } }, status, headers);
}

export function errorJson(
  code: string,
  message: string,
  status: number,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Response {
  return responseOf(errorAnswer(code, message, status, headers, extra));
}

/** An edge error (size, media type, method …) with its status and sentence from the one table. */
export function edgeError(code: EdgeErrorCode, headers: Record<string, string> = {}): Response {
  const { status, message } = EDGE_ERRORS[code];
  return errorJson(code, message, status, headers);
}
