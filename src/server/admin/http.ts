/** JSON body reading and error mapping for the admin API. */
import type { z } from 'zod';
import { validate, type FieldError } from '../../lib/admin/forms';
import { readBodyWithLimit } from '../voting/http';
import { adminError } from './guard';

const BODY_LIMIT = 256 * 1024;

export type JsonRead<T> = { ok: true; data: T } | { ok: false; response: Response };

export async function readJson<T>(request: Request, schema: z.ZodType<T>): Promise<JsonRead<T>> {
  const body = await readBodyWithLimit(request, BODY_LIMIT);
  if (!body.ok) return { ok: false, response: adminError('VALIDATION_FAILED') };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch {
    return { ok: false, response: adminError('INVALID_JSON') };
  }
  const result = validate(schema, parsed);
  if (!result.ok) return { ok: false, response: adminError('VALIDATION_FAILED', { fields: result.errors satisfies FieldError[] }) };
  return { ok: true, data: result.data };
}
