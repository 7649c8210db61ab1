/**
 * Write-in moderation as JSON. GET `?page=&q=`: one page of groups (pending first, 50 a page), each
 * with at most 20 entries (status and version) and its `entryCount`, and with `q` up to 20 groups
 * matching it as merge targets (`mergeTargets`).
 * POST `{ decision: 'approve' | 'reject' | 'merge', entries: ['<ballotId>#<index>@<version>'], reason?, target? }`.
 */
import type { APIRoute } from 'astro';
import { moderationSchema } from '~/lib/admin/forms';
import { parsePageNumber } from '~/lib/paging';
import { queuePage, searchMergeTargets, shownEntries } from '~/lib/admin/write-in-queue';
import { moderate } from '~/server/admin/actions';
import { loadCampaignReview } from '~/server/admin/campaign-review';
import { adminError, adminJson, requireStaffApi } from '~/server/admin/guard';
import { readJson } from '~/server/admin/http';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  const review = await loadCampaignReview(context.params.id ?? '');
  if (!review) return adminError('NOT_FOUND');
  const view = queuePage(review.groups, parsePageNumber(context.url.searchParams.get('page')));
  const query = context.url.searchParams.get('q') ?? '';
  return adminJson({
    page: view.page,
    pages: view.pages,
    totalGroups: view.total,
    groups: view.items.map((group) => ({
      ...group,
      entries: shownEntries(group).entries,
      entryCount: group.entries.length,
    })),
    mergeTargets: searchMergeTargets(review.groups, query).map((group) => ({
      groupKey: group.groupKey,
      label: group.label,
      entryCount: group.entries.length,
    })),
  });
};

export const POST: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  const body = await readJson(context.request, moderationSchema);
  if (!body.ok) return body.response;
  const result = await moderate(staff, context.params.id ?? '', body.data);
  if (!result.ok) return adminError(result.code, result.errors.length > 0 ? { fields: result.errors } : {});
  return adminJson({ decided: result.value });
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD', 'POST');
