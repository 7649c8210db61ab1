/** Receipts: the ballot behind a receipt id, and the ballot this device cast (shown on arrival). */
import type { Campaign } from '~/lib/voting/campaign-schema';
import { normaliseReceiptId, receiptChoiceLabels } from '~/lib/voting/receipt-id';
import { getStore } from '~/server/store/instance';
import { deviceHashOf } from './voter';

export interface Receipt {
  ballotId: string;
  /** What the ballot chose, as the voter saw it. */
  choices: string[];
}

/** The receipt of a ballot cast in this campaign under this id (as typed or copied), or null. */
export async function findReceipt(campaign: Campaign, typedId: string): Promise<Receipt | null> {
  const ballotId = normaliseReceiptId(typedId);
  if (!ballotId) return null;
  const ballot = await (await getStore()).ballots.get(ballotId);
  if (!ballot || ballot.campaignId !== campaign.id) return null;
  return { ballotId, choices: receiptChoiceLabels(ballot, campaign.candidates) };
}

/** The receipt of the ballot this device cast in this campaign, from its device cookie, or null. */
export async function deviceReceipt(campaign: Campaign, request: Request): Promise<Receipt | null> {
  const deviceHash = await deviceHashOf(request);
  if (!deviceHash) return null;
  const ballotId = await (await getStore()).ballots.ofDevice(campaign.id, deviceHash);
  return ballotId ? findReceipt(campaign, ballotId) : null;
}
