/** Plan items of a year as JSON. GET: the items. POST: adopt a nomination (fields as the form). */
import type { APIRoute } from 'astro';
import { planItemSchema, yearSchema } from '~/lib/admin/forms';
import { createPlanItem } from '~/server/admin/actions';
import { adminError, adminJson, requireStaffApi } from '~/server/admin/guard';
import { readJson } from '~/server/admin/http';
import { planItemsOf } from '~/server/admin/plan';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  const year = yearSchema.safeParse(context.params.year);
  if (!year.success) return adminError('NOT_FOUND');
  return adminJson({ items: await planItemsOf(year.data) });
};

export const POST: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  const year = yearSchema.safeParse(context.params.year);
  if (!year.success) return adminError('NOT_FOUND');
  const body = await readJson(context.request, planItemSchema);
  if (!body.ok) return body.response;
  const result = await createPlanItem(staff, year.data, body.data);
  if (!result.ok) return adminError(result.code, result.errors.length > 0 ? { fields: result.errors } : {});
  return adminJson({ item: result.value }, 201);
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD', 'POST');
