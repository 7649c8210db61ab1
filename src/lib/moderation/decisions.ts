/** The records staff decisions become: the same in every store, which then only persists them. */
import type {
  ModerationDecision,
  NominationDecision,
  NominationKey,
  OutcomePublication,
  WriteInKey,
  WriteInModeration,
} from '~/lib/admin/types';

/** The moderation record of one write-in after `decision`, one version on from `expectedVersion`. */
export function moderationRecord(
  campaignId: string,
  key: WriteInKey,
  decision: ModerationDecision,
  actor: string,
  now: Date,
  expectedVersion: number,
): WriteInModeration {
  return {
    campaignId,
    key,
    status: decision.status,
    reason: decision.status === 'rejected' ? decision.reason : null,
    mergedInto: decision.status === 'merged' ? decision.mergedInto : null,
    decidedBy: actor,
    decidedAt: now.toISOString(),
    version: expectedVersion + 1,
  };
}

export function nominationDecisionRecord(
  campaignId: string,
  nomination: NominationKey,
  declinedReason: string,
  actor: string,
  now: Date,
  expectedVersion: number,
): NominationDecision {
  return {
    campaignId,
    nomination,
    declinedReason,
    decidedBy: actor,
    decidedAt: now.toISOString(),
    version: expectedVersion + 1,
  };
}

export function outcomePublicationRecord(campaignId: string, actor: string, now: Date): OutcomePublication {
  return { campaignId, publishedAt: now.toISOString(), publishedBy: actor };
}
