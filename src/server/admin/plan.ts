/** The data behind the plan page and its exports: nominations a plan year can adopt, and their names. */
import type { PlanItem } from '~/lib/admin/types';
import { getStore } from '~/server/store/instance';
import { allCampaigns } from '~/server/voting/campaigns';
import { planYearOf } from './actions';
import { loadCampaignReview } from './campaign-review';

export interface NominationOption {
  campaignId: string;
  campaignTitle: string;
  nomination: string;
  label: string;
  votes: number;
  rank: number;
  of: number;
}

/**
 * The nominations a plan form offers: per campaign feeding `year`, the best ranked (every approved
 * write-in group is one, so the list is capped) plus those already adopted into the year.
 */
export const NOMINATION_OPTIONS_PER_CAMPAIGN = 200;

export async function nominationOptions(year: number, items: readonly PlanItem[] = []): Promise<NominationOption[]> {
  const campaignIds = new Set(items.map((item) => item.campaignId));
  for (const campaign of await allCampaigns()) if (planYearOf(campaign) === year) campaignIds.add(campaign.id);
  const options: NominationOption[] = [];
  for (const campaignId of campaignIds) {
    const review = await loadCampaignReview(campaignId);
    if (!review) continue;
    const adopted = new Set(items.filter((item) => item.campaignId === campaignId).map((item) => item.nomination));
    // By position, not rank: ties share a rank, so a rank cut could still let thousands through.
    for (const [position, item] of review.ranking.entries()) {
      if (position >= NOMINATION_OPTIONS_PER_CAMPAIGN && !adopted.has(item.nomination)) continue;
      options.push({
        campaignId,
        campaignTitle: review.campaign.title,
        nomination: item.nomination,
        label: item.label,
        votes: item.votes,
        rank: item.rank,
        of: review.ranking.length,
      });
    }
  }
  return options;
}

export function labelsOf(options: readonly NominationOption[]): Map<string, string> {
  return new Map(options.map((option) => [`${option.campaignId}|${option.nomination}`, option.label]));
}

export async function planItemsOf(year: number): Promise<PlanItem[]> {
  return (await getStore()).plan.list({ year });
}

export interface PublicPlanItem extends PlanItem {
  /** Adopted from a made-up sample campaign: shown with a 示例 badge. */
  fromExampleCampaign: boolean;
}

/** Items the public may see: adopted from campaigns whose outcome staff have published. */
export async function publishedPlanItems(
  filter: { year?: number; campaignId?: string } = {},
): Promise<PublicPlanItem[]> {
  const store = await getStore();
  const published = new Set((await store.outcomes.list()).map((publication) => publication.campaignId));
  const examples = new Set(
    (await allCampaigns()).filter((campaign) => campaign.example).map((campaign) => campaign.id),
  );
  return (await store.plan.list(filter))
    .filter((item) => published.has(item.campaignId))
    .map((item) => ({ ...item, fromExampleCampaign: examples.has(item.campaignId) }));
}
