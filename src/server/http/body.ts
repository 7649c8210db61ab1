/**
 * The one request-body reader of the portal: every route reads through a byte limit. Content-Length
 * is checked before anything is read, and the stream is counted too, since chunked bodies have no
 * length and a length can lie. A refused body answers 413 PAYLOAD_TOO_LARGE and closes the connection
 * (the unread rest of the body is not worth receiving).
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHead } from './request-head';

/** The limit of any body whose route sets none of its own (staff forms and JSON, the assistant's questions). */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

export type BodyRead = { ok: true; text: string } | { ok: false; code: 'PAYLOAD_TOO_LARGE' };

/** A body to read: its declared length, its chunks, and how to stop receiving it. */
interface BodySource {
  declaredLength: string | null;
  chunks: AsyncIterator<Uint8Array> | null;
  /** Stops receiving without tearing down the connection, so the 413 can still be answered. */
  abandon(): Promise<void>;
}

async function readSourceWithLimit(source: BodySource, limit: number): Promise<BodyRead> {
  const declared = Number(source.declaredLength);
  if (Number.isFinite(declared) && declared > limit) return { ok: false, code: 'PAYLOAD_TOO_LARGE' };
  if (!source.chunks) return { ok: true, text: '' };
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await source.chunks.next();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await source.abandon().catch(() => undefined);
      return { ok: false, code: 'PAYLOAD_TOO_LARGE' };
    }
    chunks.push(value);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

export function readBodyWithLimit(request: Request, limit: number): Promise<BodyRead> {
  const reader = request.body?.getReader();
  return readSourceWithLimit(
    {
      declaredLength: request.headers.get('content-length'),
      chunks: reader ? { next: () => reader.read() as Promise<IteratorResult<Uint8Array>> } : null,
      abandon: async () => reader?.cancel(),
    },
    limit,
  );
}

/** The same limit over a node:http request's body (the entry's direct ballot path). */
export function readNodeBodyWithLimit(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return readSourceWithLimit(
    {
      declaredLength: req.headers['content-length'] ?? null,
      chunks: req[Symbol.asyncIterator](),
      // Discard the rest rather than destroy the socket: the answer closes the connection after it.
      abandon: async () => {
        req.resume();
      },
    },
    limit,
  );
}

/** The media type of a request without parameters, lower-cased. */
export function mediaType(request: RequestHead): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The header a refused body is answered with: the client stops sending and opens a fresh connection. */
export const CLOSE_CONNECTION = { connection: 'close' } as const;

/**
 * A form body (`application/x-www-form-urlencoded`) read through the limit, for the staff pages'
 * POST handlers: `unsupported` for another content type (multipart included: no page uploads files).
 */
export async function readFormWithLimit(
  request: Request,
  limit: number,
): Promise<{ ok: true; form: URLSearchParams } | { ok: false; code: 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' }> {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') return { ok: false, code: 'UNSUPPORTED_MEDIA_TYPE' };
  const read = await readBodyWithLimit(request, limit);
  return read.ok ? { ok: true, form: new URLSearchParams(read.text) } : read;
}
