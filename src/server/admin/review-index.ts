/**
 * The staff review index of this process: write-ins with their ballots' choices, and burst flags.
 * It follows the ballot log through `ballots.readSince`, so each admin request reads only the ballots
 * committed since the previous one — never the whole log per request. Rebuilt from the log after a
 * restart (the log is the truth; flags are a review aid, recomputed the same way).
 */
import { BurstDetector, DEFAULT_RULES, type Flag } from '~/lib/admin/suspicious';
import { normaliseProduct, type IndexedWriteIn } from '~/lib/admin/write-in-groups';
import { visibleText } from '~/lib/voting/ballot-rules';
import { writeInKey } from '~/lib/voting/write-in-key';
import type { Ballot, Store } from '~/server/store/store';
import { serverClock } from '~/server/clock';

const BATCH = 5_000;

interface CampaignReview {
  writeIns: IndexedWriteIn[];
  address: BurstDetector;
  kiosk: BurstDetector;
  identical: BurstDetector;
}

function utcDay(iso: string): string {
  return iso.slice(0, 10);
}

export class ReviewIndex {
  readonly #campaigns = new Map<string, CampaignReview>();
  #logCursor: string | null = null;
  #addressCursor: string | null = null;
  /** Today's ballots whose address hash has not been read yet: ballotId → ballot. */
  #awaitingAddress = new Map<string, { campaignId: string; timeMs: number; channel: Ballot['channel'] }>();
  /** Address hashes read before their ballot (committed between our two reads): ballotId → hash. */
  #earlyAddresses = new Map<string, string>();
  #day = '';
  #refreshing: Promise<void> | null = null;

  #campaign(campaignId: string): CampaignReview {
    let review = this.#campaigns.get(campaignId);
    if (!review) {
      review = {
        writeIns: [],
        address: new BurstDetector(DEFAULT_RULES['address-burst']),
        kiosk: new BurstDetector(DEFAULT_RULES['kiosk-burst']),
        identical: new BurstDetector(DEFAULT_RULES['identical-write-ins']),
      };
      this.#campaigns.set(campaignId, review);
    }
    return review;
  }

  /** Reads what was committed since the last call (one refresh at a time). */
  refresh(store: Store, now = serverClock.now()): Promise<void> {
    this.#refreshing ??= this.#refresh(store, now).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refresh(store: Store, now: Date): Promise<void> {
    const today = utcDay(now.toISOString());
    if (today !== this.#day) {
      this.#day = today;
      this.#awaitingAddress.clear();
      this.#earlyAddresses.clear();
    }
    for (;;) {
      const { ballots, cursor } = await store.ballots.readSince(this.#logCursor, BATCH);
      this.#logCursor = cursor;
      for (const ballot of ballots) this.#add(ballot, today);
      if (ballots.length < BATCH) break;
    }
    const { entries, cursor } = await store.ballots.readAddressReviewSince(this.#addressCursor);
    this.#addressCursor = cursor;
    for (const entry of entries) {
      const ballot = this.#awaitingAddress.get(entry.ballotId);
      if (!ballot) {
        this.#earlyAddresses.set(entry.ballotId, entry.addressHash);
        continue;
      }
      this.#awaitingAddress.delete(entry.ballotId);
      // Kiosks are many people on one device by design; they have their own rule.
      if (ballot.channel !== 'kiosk')
        this.#campaign(ballot.campaignId).address.add(entry.addressHash, ballot.timeMs, entry.ballotId);
    }
    for (const review of this.#campaigns.values()) {
      for (const detector of [review.address, review.kiosk, review.identical]) detector.prune(now.getTime());
    }
  }

  #add(ballot: Ballot, today: string): void {
    const review = this.#campaign(ballot.campaignId);
    const timeMs = Date.parse(ballot.createdAt);
    ballot.writeIns.forEach((writeIn, index) => {
      // Ballots cast before input was cleaned may still hold invisible characters: clean them here,
      // so reviewers never read text reversed by a bidi control, and mark them like new ones.
      const product = visibleText(writeIn.product);
      const issue = visibleText(writeIn.issue);
      const venue = visibleText(writeIn.venue ?? '');
      review.writeIns.push({
        key: writeInKey(ballot.id, index),
        ballotId: ballot.id,
        product: product.text,
        issue: issue.text,
        venue: venue.text || null,
        createdAt: ballot.createdAt,
        choices: ballot.choices,
        invisibleRemoved: writeIn.invisibleRemoved === true || product.removed || issue.removed || venue.removed,
      });
      review.identical.add(`${normaliseProduct(product.text)}：${issue.text.trim()}`, timeMs, ballot.id);
    });
    if (ballot.kioskId) review.kiosk.add(ballot.kioskId, timeMs, ballot.id);
    const early = this.#earlyAddresses.get(ballot.id);
    if (early !== undefined) {
      this.#earlyAddresses.delete(ballot.id);
      if (ballot.channel !== 'kiosk') review.address.add(early, timeMs, ballot.id);
    } else if (utcDay(ballot.createdAt) === today) {
      this.#awaitingAddress.set(ballot.id, { campaignId: ballot.campaignId, timeMs, channel: ballot.channel });
    }
  }

  writeIns(campaignId: string): IndexedWriteIn[] {
    return [...(this.#campaigns.get(campaignId)?.writeIns ?? [])];
  }

  flags(campaignId: string): Flag[] {
    const review = this.#campaigns.get(campaignId);
    if (!review) return [];
    return [...review.address.flags(), ...review.kiosk.flags(), ...review.identical.flags()].sort((a, b) =>
      b.lastAt.localeCompare(a.lastAt),
    );
  }
}

const holder = globalThis as typeof globalThis & { __adminReviewIndex?: ReviewIndex };

/** The index of this process, brought up to date with the log. */
export async function reviewIndex(store: Store): Promise<ReviewIndex> {
  holder.__adminReviewIndex ??= new ReviewIndex();
  await holder.__adminReviewIndex.refresh(store);
  return holder.__adminReviewIndex;
}
