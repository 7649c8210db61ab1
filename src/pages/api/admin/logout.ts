/** Ends the session on the server (JSON clients; the pages post to /admin/logout/). */
import type { APIRoute } from 'astro';
import { logout } from '~/server/admin/auth';
import { requireStaffApi } from '~/server/admin/guard';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

export const POST: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  await logout(context, staff);
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
};

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('POST');
