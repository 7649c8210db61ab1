/** Who is logged in, and the CSRF token to send as `X-CSRF-Token` with JSON writes. */
import type { APIRoute } from 'astro';
import { adminJson, requireStaffApi } from '../../../server/admin/guard';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  return adminJson({ user: staff.user, csrfToken: staff.csrfToken });
};
