/**
 * The public outcome of a campaign, once staff publish it: every nomination (candidates and approved
 * write-ins) with its votes and fate — adopted into which plan item and quarter, or why not — and
 * the result announcements that answer each adopted item (`planItem: "<year>/<itemId>"`).
 */
import { listed } from '~/lib/publishing/catalogue';
import { currentCatalogue } from '~/server/content/catalogue';
import type { RankedNomination } from '~/lib/admin/tally-breakdown';
import type { PlanItem } from '~/lib/admin/types';
import type { Campaign } from '~/lib/voting/campaign-schema';
import { findCampaign } from '~/server/voting/campaigns';
import { loadCampaignReview } from './campaign-review';

export interface OutcomeRow extends RankedNomination {
  adopted: (Pick<PlanItem, 'id' | 'year' | 'category' | 'method' | 'quarters' | 'stages' | 'reason'> & {
    announcements: { slug: string; title: string }[];
  })[];
  declinedReason: string | null;
}

export type PublicOutcome =
  | { campaign: Campaign; published: false }
  | { campaign: Campaign; published: true; publishedAt: string; total: number; rows: OutcomeRow[] };

export async function publicOutcome(campaignId: string): Promise<PublicOutcome | null> {
  const campaign = await findCampaign(campaignId);
  if (!campaign) return null;
  const review = await loadCampaignReview(campaign.id);
  if (!review || !review.publishedAt) return { campaign, published: false };
  const announcements = (await currentCatalogue()).announcements.filter(
    (entry) => listed(entry) && entry.data.planItem,
  );
  const rows = review.ranking.map((item): OutcomeRow => ({
    ...item,
    adopted: review.planItems
      .filter((planItem) => planItem.nomination === item.nomination)
      .map(({ id, year, category, method, quarters, stages, reason }) => ({
        id,
        year,
        category,
        method,
        quarters,
        stages,
        reason,
        announcements: announcements
          .filter((entry) => entry.data.planItem === `${year}/${id}`)
          .map((entry) => ({ slug: entry.id, title: entry.data.title })),
      })),
    declinedReason:
      review.decisions.find((decision) => decision.nomination === item.nomination)?.declinedReason ?? null,
  }));
  return { campaign, published: true, publishedAt: review.publishedAt, total: review.tally.total, rows };
}
