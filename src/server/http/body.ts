/**
 * The one request-body reader of the portal: every route reads through a byte limit. Content-Length
 * is checked before anything is read, and the stream is counted too, since chunked bodies have no
 * length and a length can lie. A refused body answers 413 PAYLOAD_TOO_LARGE and closes the connection
 * (the unread rest of the body is not worth receiving).
 */
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

/** The body's bytes, or a refusal as soon as the declared length or the bytes received pass `limit`. */
export async function readBytesWithLimit(request: Request, limit: number): Promise<BytesRead> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return { ok: false, code: 'PAYLOAD_TOO_LARGE' };
  if (!request.body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, code: 'PAYLOAD_TOO_LARGE' };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

export async function readBodyWithLimit(request: Request, limit: number): Promise<BodyRead> {
  const read = await readBytesWithLimit(request, limit);
  return read.ok ? { ok: true, text: read.bytes.toString('utf8') } : read;
}

/** The media type of a request without parameters, lower-cased. */
export function mediaType(request: Request): string {
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
