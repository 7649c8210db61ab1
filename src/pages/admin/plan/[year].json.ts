/** The plan year as JSON. Staff only. */
import type { APIRoute } from 'astro';
import { yearSchema } from '~/lib/admin/forms';
import { planJson } from '~/lib/admin/plan-export';
import { audit } from '~/server/admin/audit';
import { adminJson, requireStaff } from '~/server/admin/guard';
import { labelsOf, nominationOptions, planItemsOf } from '~/server/admin/plan';
import { serverClock } from '~/server/clock';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaff(context);
  if (staff instanceof Response) return staff;
  const year = yearSchema.safeParse(context.params.year);
  if (!year.success)
    return new Response('年份无效。', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const items = await planItemsOf(year.data);
  await audit({
    actor: staff.user.username,
    action: 'plan.export',
    target: `${year.data}.json`,
    detail: `${items.length} 项`,
  });
  return adminJson(planJson(year.data, items, labelsOf(await nominationOptions(year.data, items)), serverClock.now()));
};
