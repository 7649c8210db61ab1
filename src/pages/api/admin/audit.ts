/** The audit log as JSON (admins only), newest first: `?limit=&offset=`. */
import type { APIRoute } from 'astro';
import { adminJson, requireStaffApi } from '~/server/admin/guard';
import { getStore } from '~/server/store/instance';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaffApi(context, { role: 'admin' });
  if (staff instanceof Response) return staff;
  const number = (name: string, fallback: number, max: number) =>
    Math.max(0, Math.min(max, Number.parseInt(context.url.searchParams.get(name) ?? '', 10) || fallback));
  return adminJson(
    await (await getStore()).audit.list({ limit: number('limit', 100, 1000), offset: number('offset', 0, 10_000_000) }),
  );
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
