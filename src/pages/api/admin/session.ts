/** Who is logged in, and the CSRF token to send as `X-CSRF-Token` with JSON writes. */
import type { APIRoute } from 'astro';
import { adminJson, requireStaffApi } from '~/server/admin/guard';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  return adminJson({ user: staff.user, csrfToken: staff.csrfToken });
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
