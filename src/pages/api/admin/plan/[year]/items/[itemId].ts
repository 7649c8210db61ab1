/**
 * One plan item. PUT: all fields plus the `version` it was read at (409 VERSION_CONFLICT when someone
 * changed it since). DELETE: `{ version }`.
 */
import type { APIRoute } from 'astro';
import { planItemDeleteSchema, planItemUpdateSchema, yearSchema } from '~/lib/admin/forms';
import { deletePlanItem, updatePlanItem } from '~/server/admin/actions';
import { adminError, adminJson, requireStaffApi } from '~/server/admin/guard';
import { readJson } from '~/server/admin/http';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

export const PUT: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  const year = yearSchema.safeParse(context.params.year);
  if (!year.success) return adminError('NOT_FOUND');
  const body = await readJson(context.request, planItemUpdateSchema);
  if (!body.ok) return body.response;
  const result = await updatePlanItem(staff, year.data, context.params.itemId ?? '', body.data.version, body.data);
  if (!result.ok) return adminError(result.code, result.errors.length > 0 ? { fields: result.errors } : {});
  return adminJson({ item: result.value });
};

export const DELETE: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  const year = yearSchema.safeParse(context.params.year);
  if (!year.success) return adminError('NOT_FOUND');
  const body = await readJson(context.request, planItemDeleteSchema);
  if (!body.ok) return body.response;
  const result = await deletePlanItem(staff, year.data, context.params.itemId ?? '', body.data.version);
  if (!result.ok) return adminError(result.code);
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
};

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('PUT', 'DELETE');
