/** Small HTTP helpers shared by the voting routes: the error shape, JSON answers, bounded body reads. */
import { VOTING_MESSAGES, VOTING_STATUS, type VotingErrorCode } from '../../lib/voting/messages';

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('content-type', 'application/json; charset=utf-8');
  response.headers.set('cache-control', 'no-store');
  return response;
}

/** `{ "error": { "code", "message" } }` with the status that belongs to the code. */
export function errorResponse(code: VotingErrorCode, headers: HeadersInit = {}, extra: Record<string, unknown> = {}): Response {
  return json({ ...extra, error: { code, message: VOTING_MESSAGES[code] } }, VOTING_STATUS[code], headers);
}

export type BodyRead = { ok: true; text: string } | { ok: false; code: 'BODY_TOO_LARGE' };

/**
 * Reads a request body, giving up as soon as it passes `limit` bytes: Content-Length is checked
 * first, but the stream is counted too, since chunked bodies have no length and a length can lie.
 */
export async function readBodyWithLimit(request: Request, limit: number): Promise<BodyRead> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return { ok: false, code: 'BODY_TOO_LARGE' };
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, code: 'BODY_TOO_LARGE' };
    }
    chunks.push(value);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/** The media type of a request without parameters, lower-cased. */
export function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
