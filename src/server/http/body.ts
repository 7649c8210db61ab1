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

/**
 * The limit of a staff upload (an announcement's spreadsheet or original document): the largest file
 * the publishing rules accept (attachments, 20 MiB) plus the form's other fields. Each kind of file
 * has its own, lower limit checked after the body is read, with its own message.
 */
export const STAFF_UPLOAD_BODY_LIMIT_BYTES = 21 * 1024 * 1024;

export type BodyRead = { ok: true; text: string } | { ok: false; code: 'PAYLOAD_TOO_LARGE' };
export type BytesRead = { ok: true; bytes: Buffer } | { ok: false; code: 'PAYLOAD_TOO_LARGE' };

/** A body to read: its declared length, its chunks, and how to stop receiving it. */
interface BodySource {
  declaredLength: string | null;
  chunks: AsyncIterator<Uint8Array> | null;
  /** Stops receiving without tearing down the connection, so the 413 can still be answered. */
  abandon(): Promise<void>;
}

async function readSourceWithLimit(source: BodySource, limit: number): Promise<BytesRead> {
  const declared = Number(source.declaredLength);
  if (Number.isFinite(declared) && declared > limit) return { ok: false, code: 'PAYLOAD_TOO_LARGE' };
  if (!source.chunks) return { ok: true, bytes: Buffer.alloc(0) };
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
  return { ok: true, bytes: Buffer.concat(chunks) };
}

const asText = (read: BytesRead): BodyRead => (read.ok ? { ok: true, text: read.bytes.toString('utf8') } : read);

/** The body's bytes, or a refusal as soon as the declared length or the bytes received pass `limit`. */
export function readBytesWithLimit(request: Request, limit: number): Promise<BytesRead> {
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

export async function readBodyWithLimit(request: Request, limit: number): Promise<BodyRead> {
  return asText(await readBytesWithLimit(request, limit));
}

/** The same limit over a node:http request's body (the entry's direct ballot path). */
export async function readNodeBodyWithLimit(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const read = await readSourceWithLimit(
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
  return asText(read);
}

/** The media type of a request without parameters, lower-cased. */
export function mediaType(request: RequestHead): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The header a refused body is answered with: the client stops sending and opens a fresh connection. */
export const CLOSE_CONNECTION = { connection: 'close' } as const;

/**
 * A form body (`application/x-www-form-urlencoded`) read through the limit, for the staff pages'
 * POST handlers: `unsupported` for another content type (uploads go through readMultipartWithLimit).
 */
export async function readFormWithLimit(
  request: Request,
  limit: number,
): Promise<{ ok: true; form: URLSearchParams } | { ok: false; code: 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' }> {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') return { ok: false, code: 'UNSUPPORTED_MEDIA_TYPE' };
  const read = await readBodyWithLimit(request, limit);
  return read.ok ? { ok: true, form: new URLSearchParams(read.text) } : read;
}

export type MultipartRead =
  { ok: true; form: FormData } | { ok: false; code: 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'MALFORMED_BODY' };

/**
 * A `multipart/form-data` body (a staff upload) read through the limit, then parsed by the runtime's
 * own multipart parser: the whole body is in memory at most once, and never more than `limit` bytes.
 */
export async function readMultipartWithLimit(request: Request, limit: number): Promise<MultipartRead> {
  if (mediaType(request) !== 'multipart/form-data') return { ok: false, code: 'UNSUPPORTED_MEDIA_TYPE' };
  const read = await readBytesWithLimit(request, limit);
  if (!read.ok) return read;
  try {
    const parsed = new Response(new Blob([new Uint8Array(read.bytes)]), {
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
    });
    return { ok: true, form: await parsed.formData() };
  } catch {
    return { ok: false, code: 'MALFORMED_BODY' };
  }
}
