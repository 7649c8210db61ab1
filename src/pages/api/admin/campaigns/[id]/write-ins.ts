/**
 * Write-in moderation as JSON. GET: the groups with each entry's status and version.
 * POST `{ decision: 'approve' | 'reject' | 'merge', entries: ['<ballotId>#<index>@<version>'], reason?, target? }`.
 */
import type { APIRoute } from 'astro';
import { moderationSchema } from '../../../../../lib/admin/forms';
import { moderate } from '../../../../../server/admin/actions';
import { loadCampaignReview } from '../../../../../server/admin/campaign-review';
import { adminError, adminJson, requireStaffApi } from '../../../../../server/admin/guard';
import { readJson } from '../../../../../server/admin/http';
import { methodNotAllowed } from '../../../../../server/http/method-not-allowed';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  const review = await loadCampaignReview(context.params.id ?? '');
  if (!review) return adminError('NOT_FOUND');
  return adminJson({ groups: review.groups });
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
