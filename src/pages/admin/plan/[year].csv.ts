/** The plan year as CSV for Excel and WPS (UTF-8 with BOM, CRLF, quoted, formula-guarded). Staff only. */
import type { APIRoute } from 'astro';
import { yearSchema } from '~/lib/admin/forms';
import { planCsv } from '~/lib/admin/plan-export';
import { audit } from '~/server/admin/audit';
import { requireStaff } from '~/server/admin/guard';
import { labelsOf, nominationOptions, planItemsOf } from '~/server/admin/plan';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaff(context);
  if (staff instanceof Response) return staff;
  const year = yearSchema.safeParse(context.params.year);
  if (!year.success)
    return new Response('年份无效。', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const items = await planItemsOf(year.data);
  const csv = planCsv(items, labelsOf(await nominationOptions(year.data, items)));
  await audit({
    actor: staff.user.username,
    action: 'plan.export',
    target: `${year.data}.csv`,
    detail: `${items.length} 项`,
  });
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="plan-${year.data}.csv"; filename*=UTF-8''${encodeURIComponent(`${year.data}年抽查计划（群众点题）.csv`)}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
};
