/**
 * Setting flagged ballots aside (剔除): staff take a burst of ballots out of the official count, with
 * a reason, and may restore them. Nothing is deleted: the ballot log stays the truth, the running
 * tally keeps counting everything, and the official count is the tally minus what was set aside.
 *
 * A set-aside keeps what its ballots added to the tally (`removed`), computed once when it is made;
 * ballots never change, so subtracting it later is exact and needs no ballot reads on the hot path.
 */
import type { FlagKind } from '~/lib/admin/suspicious';
import { addToTally, emptyTally, type CampaignTally, type TalliedBallot } from './tally';

export interface SetAside {
  id: string;
  campaignId: string;
  /** The flag the ballots were set aside for, so its row can say so. */
  flag: { kind: FlagKind; key: string; firstAt: string };
  ballotIds: string[];
  /** What these ballots added to the tally. */
  removed: CampaignTally;
  reason: string;
  setAsideBy: string;
  setAsideAt: string;
  restoredBy: string | null;
  restoredAt: string | null;
  version: number;
}

export type NewSetAside = Omit<SetAside, 'id' | 'version' | 'restoredBy' | 'restoredAt'>;

export const SET_ASIDE_REASON_MAX = 500;

export const isActive = (setAside: SetAside): boolean => setAside.restoredAt === null;

/**
 * The set-aside of these ballots: those already set aside by an active set-aside are left out, so a
 * ballot flagged twice (a burst from one address with identical write-ins) is subtracted once.
 * Null when nothing is left to set aside.
 */
export function newSetAside(
  input: Omit<NewSetAside, 'ballotIds' | 'removed'>,
  ballots: readonly ({ id: string } & TalliedBallot)[],
  existing: readonly SetAside[],
): NewSetAside | null {
  const alreadySetAside = new Set(existing.filter(isActive).flatMap((setAside) => setAside.ballotIds));
  const fresh = ballots.filter(
    (ballot, index) =>
      !alreadySetAside.has(ballot.id) && ballots.findIndex((other) => other.id === ballot.id) === index,
  );
  if (fresh.length === 0) return null;
  const removed = emptyTally();
  for (const ballot of fresh) addToTally(removed, ballot);
  return { ...input, ballotIds: fresh.map((ballot) => ballot.id), removed };
}

/** The record as first stored. */
export function storedSetAside(setAside: NewSetAside, id: string): SetAside {
  return { ...setAside, id, restoredBy: null, restoredAt: null, version: 1 };
}

/** Restoring twice keeps the first restoration. */
export function restoredSetAside(setAside: SetAside, actor: string, at: Date): SetAside {
  if (!isActive(setAside)) return setAside;
  return { ...setAside, restoredBy: actor, restoredAt: at.toISOString(), version: setAside.version + 1 };
}

function subtractCounts(counts: Record<string, number>, removed: Record<string, number>): void {
  for (const [key, count] of Object.entries(removed)) {
    const left = (counts[key] ?? 0) - count;
    if (left > 0) counts[key] = left;
    else delete counts[key];
  }
}

/** The official count: the running tally without the ballots of active set-asides. */
export function officialTally(
  tally: CampaignTally,
  setAsides: readonly SetAside[],
): { tally: CampaignTally; setAside: number } {
  const active = setAsides.filter(isActive);
  if (active.length === 0) return { tally, setAside: 0 };
  const official = structuredClone(tally);
  let setAside = 0;
  for (const { removed } of active) {
    setAside += removed.total;
    official.total = Math.max(0, official.total - removed.total);
    official.writeIns = Math.max(0, official.writeIns - removed.writeIns);
    subtractCounts(official.candidates, removed.candidates);
    subtractCounts(official.channels, removed.channels);
    subtractCounts(official.events, removed.events);
    // Set-asides recorded before tallies kept votes per event have no such counts.
    for (const [code, votes] of Object.entries(removed.eventCandidates ?? {})) {
      const atEvent = official.eventCandidates[code];
      if (!atEvent) continue;
      subtractCounts(atEvent, votes);
      if (Object.keys(atEvent).length === 0) delete official.eventCandidates[code];
    }
    subtractCounts(official.eventTypes, removed.eventTypes);
    subtractCounts(official.districts, removed.districts);
    subtractCounts(official.hours, removed.hours);
  }
  // Channels and event types are fixed records the views index directly: keep every key.
  official.channels = { ...emptyTally().channels, ...official.channels };
  official.eventTypes = { ...emptyTally().eventTypes, ...official.eventTypes };
  return { tally: official, setAside };
}
