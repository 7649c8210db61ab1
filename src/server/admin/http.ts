/** Body reading and error mapping for the staff API (JSON) and the staff pages' forms. */
import type { z } from 'zod';
import { validate, type FieldError } from '~/lib/admin/forms';
import { ADMIN_MESSAGES, ADMIN_STATUS } from '~/lib/admin/messages';
import {
  CLOSE_CONNECTION,
  DEFAULT_BODY_LIMIT_BYTES,
  mediaType,
  STAFF_UPLOAD_BODY_LIMIT_BYTES,
  readBodyWithLimit,
  readFormWithLimit,
  readMultipartWithLimit,
} from '~/server/http/body';
import { adminError, messagePage } from './guard';

export type JsonRead<T> = { ok: true; data: T } | { ok: false; response: Response };

export async function readJson<T>(request: Request, schema: z.ZodType<T>): Promise<JsonRead<T>> {
  if (mediaType(request) !== 'application/json') return { ok: false, response: adminError('UNSUPPORTED_MEDIA_TYPE') };
  const body = await readBodyWithLimit(request, DEFAULT_BODY_LIMIT_BYTES);
  if (!body.ok) {
    const response = adminError(body.code);
    response.headers.set('connection', CLOSE_CONNECTION.connection);
    return { ok: false, response };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch {
    return { ok: false, response: adminError('INVALID_JSON') };
  }
  const result = validate(schema, parsed);
  if (!result.ok)
    return { ok: false, response: adminError('VALIDATION_FAILED', { fields: result.errors satisfies FieldError[] }) };
  return { ok: true, data: result.data };
}

/**
 * A staff page's form POST, read through the limit: the form, or the Chinese error page to answer
 * instead (413 for an oversized body, 415 for a body that is not a form).
 */
export async function readStaffForm(
  request: Request,
): Promise<{ ok: true; form: URLSearchParams } | { ok: false; response: Response }> {
  const read = await readFormWithLimit(request, DEFAULT_BODY_LIMIT_BYTES);
  if (read.ok) return read;
  return { ok: false, response: messagePage(ADMIN_STATUS[read.code], '无法完成操作', ADMIN_MESSAGES[read.code]) };
}

/**
 * A staff page's upload (`multipart/form-data`), read through the upload limit: the parsed form, or
 * the Chinese error page to answer instead (413 over the limit, 415 not multipart, 400 unreadable).
 */
export async function readStaffUpload(
  request: Request,
): Promise<{ ok: true; form: FormData } | { ok: false; response: Response }> {
  const read = await readMultipartWithLimit(request, STAFF_UPLOAD_BODY_LIMIT_BYTES);
  if (read.ok) return read;
  return { ok: false, response: messagePage(ADMIN_STATUS[read.code], '无法完成操作', ADMIN_MESSAGES[read.code]) };
}
