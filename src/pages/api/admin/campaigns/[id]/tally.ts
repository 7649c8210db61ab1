/** The staff tally of a campaign as JSON: ranking, breakdowns and flags. */
import type { APIRoute } from 'astro';
import { loadCampaignReview } from '../../../../../server/admin/campaign-review';
import { adminError, adminJson, requireStaffApi } from '../../../../../server/admin/guard';
import { methodNotAllowed } from '../../../../../server/http/method-not-allowed';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  const review = await loadCampaignReview(context.params.id ?? '');
  if (!review) return adminError('NOT_FOUND');
  const { campaign, tally, breakdown, ranking, flags, planItems, decisions, publishedAt } = review;
  return adminJson({ campaignId: campaign.id, tally, breakdown, ranking, flags, planItems, decisions, publishedAt });
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
