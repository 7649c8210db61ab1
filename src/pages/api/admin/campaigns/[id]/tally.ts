/** The staff tally of a campaign as JSON: ranking, breakdowns and flags. */
import type { APIRoute } from 'astro';
import { loadCampaignReview } from '../../../../../server/admin/campaign-review';
import { adminError, adminJson, requireStaffApi } from '../../../../../server/admin/guard';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  const review = await loadCampaignReview(context.params.id ?? '');
  if (!review) return adminError('NOT_FOUND');
  const { campaign, tally, breakdown, ranking, flags, planItems, decisions, publishedAt } = review;
  return adminJson({ campaignId: campaign.id, tally, breakdown, ranking, flags, planItems, decisions, publishedAt });
};
