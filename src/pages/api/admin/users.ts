/** Staff accounts (admins only): list (`?page=`, 100 a page), and create with a generated password returned once. */
import type { APIRoute } from 'astro';
import { newUserSchema } from '~/lib/admin/forms';
import { pageOf, parsePageNumber } from '~/lib/paging';
import { createStaffAccount } from '~/server/admin/actions';
import { adminJson, adminError, requireStaffApi } from '~/server/admin/guard';
import { readJson } from '~/server/admin/http';
import { withoutSecret } from '~/server/admin/users';
import { getStore } from '~/server/store/instance';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaffApi(context, { role: 'admin' });
  if (staff instanceof Response) return staff;
  const users = (await (await getStore()).staff.list()).sort((a, b) => a.username.localeCompare(b.username));
  const view = pageOf(users, parsePageNumber(context.url.searchParams.get('page')), 100);
  return adminJson({ users: view.items.map(withoutSecret), page: view.page, pages: view.pages, total: view.total });
};

export const POST: APIRoute = async (context) => {
  const staff = await requireStaffApi(context, { role: 'admin' });
  if (staff instanceof Response) return staff;
  const body = await readJson(context.request, newUserSchema);
  if (!body.ok) return body.response;
  const result = await createStaffAccount(staff, body.data.username, body.data.role);
  if (!result.ok)
    return adminError('VALIDATION_FAILED', { fields: [{ field: result.field, message: result.message }] });
  return adminJson({ user: result.user, password: result.password }, 201);
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD', 'POST');
