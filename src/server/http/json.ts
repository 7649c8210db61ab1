/** JSON answers of every API route: one content type, never cached, one error shape. */
import { EDGE_ERRORS, type EdgeErrorCode } from '~/lib/http/api-errors';

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('content-type', 'application/json; charset=utf-8');
  response.headers.set('cache-control', 'no-store');
  return response;
}

/** `{ "error": { "code", "message", …extra } }`: the one error shape of the API. */
export function errorJson(
  code: string,
  message: string,
  status: number,
  headers: HeadersInit = {},
  extra: Record<string, unknown> = {},
): Response {
  return json({ error: { code, message, ...extra } }, status, headers);
}

/** An edge error (size, media type, method …) with its status and sentence from the one table. */
export function edgeError(code: EdgeErrorCode, headers: HeadersInit = {}): Response {
  const { status, message } = EDGE_ERRORS[code];
  return errorJson(code, message, status, headers);
}
