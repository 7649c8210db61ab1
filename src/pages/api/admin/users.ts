/** Staff accounts (admins only): list (`?page=`, 100 a page), and create with a generated password returned once. */
import type { APIRoute } from 'astro';
import { newUserSchema } from '~/lib/admin/forms';
import { pageOf, parsePageNumber } from '~/lib/admin/paging';
import { STAFF_ROLE_LABELS } from '~/lib/admin/types';
import { audit } from '~/server/admin/audit';
import { adminJson, adminError, requireStaffApi } from '~/server/admin/guard';
import { readJson } from '~/server/admin/http';
import { createUser, withoutSecret } from '~/server/admin/users';
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
  const result = await createUser(await getStore(), body.data.username, body.data.role);
  if (!result.ok) {
    await audit({
      actor: staff.user.username,
      action: 'user.create',
      target: body.data.username,
      outcome: 'failed',
      detail: result.message,
    });
    return adminError('VALIDATION_FAILED', { fields: [{ field: result.field, message: result.message }] });
  }
  await audit({
    actor: staff.user.username,
    action: 'user.create',
    target: result.user.username,
    detail: STAFF_ROLE_LABELS[result.user.role],
  });
  return adminJson({ user: result.user, password: result.password }, 201);
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD', 'POST');
