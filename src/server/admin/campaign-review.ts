/** Everything the tally, write-in and outcome pages show about one campaign, assembled in one place. */
import { describeFlag, type Flag } from '~/lib/admin/suspicious';
import { rankNominations, tallyBreakdown, type Breakdown, type RankedNomination } from '~/lib/admin/tally-breakdown';
import type { NominationDecision, PlanItem } from '~/lib/admin/types';
import { groupWriteIns, type WriteInGroup } from '~/lib/admin/write-in-groups';
import type { Campaign } from '~/lib/voting/campaign-schema';
import { isActive, officialTally, type SetAside } from '~/lib/voting/set-aside';
import type { CampaignTally } from '~/lib/voting/tally';
import { getStore } from '~/server/store/instance';
import { findCampaign } from '~/server/voting/campaigns';
import { reviewIndex } from './review-index';

export interface CampaignReview {
  campaign: Campaign;
  /** The official count: set-aside ballots excluded. */
  tally: CampaignTally;
  /** Every ballot stored, set aside or not. */
  storedTotal: number;
  setAsides: SetAside[];
  breakdown: Breakdown;
  groups: WriteInGroup[];
  ranking: RankedNomination[];
  flags: (Flag & { description: string })[];
  planItems: PlanItem[];
  decisions: NominationDecision[];
  publishedAt: string | null;
}

export async function loadCampaignReview(campaignId: string): Promise<CampaignReview | null> {
  const campaign = await findCampaign(campaignId);
  if (!campaign) return null;
  const store = await getStore();
  const index = await reviewIndex(store);
  const [running, setAsides, moderation, events, planItems, decisions, publications] = await Promise.all([
    store.tallies.get(campaign.id),
    store.setAsides.list(campaign.id),
    store.moderation.list(campaign.id),
    store.events.list(campaign.id),
    store.plan.list({ campaignId: campaign.id }),
    store.plan.listNominationDecisions(campaign.id),
    store.outcomes.list(),
  ]);
  const writeIns = index.writeIns(campaign.id);
  const groups = groupWriteIns(writeIns, moderation);
  // Write-ins of set-aside ballots leave the ranking with their ballots (moderation still sees them).
  const setAsideBallots = new Set(setAsides.filter(isActive).flatMap((setAside) => setAside.ballotIds));
  const countedGroups = setAsideBallots.size
    ? groupWriteIns(
        writeIns.filter((writeIn) => !setAsideBallots.has(writeIn.ballotId)),
        moderation,
      )
    : groups;
  const { tally } = officialTally(running, setAsides);
  return {
    campaign,
    tally,
    storedTotal: running.total,
    setAsides,
    breakdown: tallyBreakdown(tally, new Map(events.map((event) => [event.code, event.name]))),
    groups,
    ranking: rankNominations(campaign.candidates, tally, countedGroups),
    flags: index.flags(campaign.id).map((flag) => ({ ...flag, description: describeFlag(flag) })),
    planItems,
    decisions,
    publishedAt: publications.find((publication) => publication.campaignId === campaign.id)?.publishedAt ?? null,
  };
}
