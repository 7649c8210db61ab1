/**
 * Running tallies, kept incrementally: adding a ballot is O(choices), reading never scans ballots.
 * Plain data (records of counts) so that a snapshot is a JSON copy and replay is the same `addToTally`.
 */
import type { Campaign } from './campaign-schema';

export const CHANNELS = ['online', 'event', 'kiosk'] as const;
export type Channel = (typeof CHANNELS)[number];

export const EVENT_TYPES = ['school', 'community', 'market'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** 进校园 / 进社区 / 进市场. */
export const EVENT_TYPE_LABELS: Record<EventType, string> = {
  school: '进校园',
  community: '进社区',
  market: '进市场',
};

/** The parts of a ballot a tally counts. */
export interface TalliedBallot {
  choices: readonly string[];
  writeInCount: number;
  district: string | null;
  event: string | null;
  eventType: EventType | null;
  channel: Channel;
  createdAt: string;
}

export interface CampaignTally {
  /** Ballots counted. */
  total: number;
  candidates: Record<string, number>;
  channels: Record<Channel, number>;
  events: Record<string, number>;
  /** Candidate votes of the ballots cast at each outreach event: event code → candidate id → votes. */
  eventCandidates: Record<string, Record<string, number>>;
  eventTypes: Record<EventType, number>;
  districts: Record<string, number>;
  /** Ballots per Beijing-time hour, keyed "YYYY-MM-DDTHH". */
  hours: Record<string, number>;
  writeIns: number;
  /** Time of the latest counted ballot. */
  updatedAt: string | null;
}

export function emptyTally(): CampaignTally {
  return {
    total: 0,
    candidates: {},
    channels: { online: 0, event: 0, kiosk: 0 },
    events: {},
    eventCandidates: {},
    eventTypes: { school: 0, community: 0, market: 0 },
    districts: {},
    hours: {},
    writeIns: 0,
    updatedAt: null,
  };
}

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

const hourOfUtcHour = new Map<string, string>();

/** The Beijing-time hour a moment falls in, e.g. "2027-03-15T10". */
export function beijingHour(iso: string): string {
  // Replaying a million ballots must not build a Date per ballot: cache per UTC hour (toISOString form).
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(iso)) {
    return new Date(Date.parse(iso) + BEIJING_OFFSET_MS).toISOString().slice(0, 13);
  }
  const utcHour = iso.slice(0, 13);
  let hour = hourOfUtcHour.get(utcHour);
  if (hour === undefined) {
    hour = new Date(Date.parse(`${utcHour}:00:00Z`) + BEIJING_OFFSET_MS).toISOString().slice(0, 13);
    hourOfUtcHour.set(utcHour, hour);
  }
  return hour;
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Counts one ballot into a tally (mutates it: tallies are hot, copying them per ballot would not be). */
export function addToTally(tally: CampaignTally, ballot: TalliedBallot): void {
  tally.total += 1;
  for (const choice of ballot.choices) increment(tally.candidates, choice);
  tally.channels[ballot.channel] += 1;
  if (ballot.event) {
    increment(tally.events, ballot.event);
    const atEvent = (tally.eventCandidates[ballot.event] ??= {});
    for (const choice of ballot.choices) increment(atEvent, choice);
  }
  if (ballot.eventType) tally.eventTypes[ballot.eventType] += 1;
  if (ballot.district) increment(tally.districts, ballot.district);
  increment(tally.hours, beijingHour(ballot.createdAt));
  tally.writeIns += ballot.writeInCount;
  if (!tally.updatedAt || ballot.createdAt > tally.updatedAt) tally.updatedAt = ballot.createdAt;
}

/** What the public sees: candidates only (write-ins stay private until staff approve them). */
export interface PublicTally {
  /** Ballots in the official count (set-aside ballots excluded). */
  total: number;
  candidates: CandidateVotes[];
  /** Flagged ballots staff set aside from the official count (lib/voting/set-aside). */
  setAside: number;
  /** The same count for the ballots of each outreach event, by event code: the event's projector shows its own. */
  events: Record<string, EventVotes>;
  /** Time of the latest counted ballot; null before the first one. */
  updatedAt: string | null;
}

export interface EventVotes {
  /** Ballots cast at the event. */
  total: number;
  /** Candidate id → votes, for the campaign's candidates that have any. */
  votes: Record<string, number>;
}

export interface CandidateVotes {
  id: string;
  name: string;
  votes: number;
}

/** The public view, in the campaign's own candidate order, of the official tally. */
export function publicTally(campaign: Pick<Campaign, 'candidates'>, tally: CampaignTally, setAside = 0): PublicTally {
  return {
    total: tally.total,
    setAside,
    candidates: campaign.candidates.map((candidate) => ({
      id: candidate.id,
      name: candidate.name,
      votes: tally.candidates[candidate.id] ?? 0,
    })),
    events: Object.fromEntries(
      Object.entries(tally.events).map(([code, total]) => {
        const atEvent = tally.eventCandidates[code] ?? {};
        const votes = Object.fromEntries(
          campaign.candidates.flatMap((candidate) =>
            atEvent[candidate.id] ? [[candidate.id, atEvent[candidate.id]!] as const] : [],
          ),
        );
        return [code, { total, votes }];
      }),
    ),
    updatedAt: tally.updatedAt,
  };
}

/**
 * One event's share of a public tally, in the same shape, for the event's projector: its ballots
 * and each candidate's votes there (0 for an event without ballots yet).
 */
export function eventTally(tally: PublicTally, eventCode: string): PublicTally {
  const atEvent = tally.events[eventCode];
  return {
    total: atEvent?.total ?? 0,
    setAside: tally.setAside,
    candidates: tally.candidates.map((candidate) => ({ ...candidate, votes: atEvent?.votes[candidate.id] ?? 0 })),
    events: atEvent ? { [eventCode]: atEvent } : {},
    updatedAt: tally.updatedAt,
  };
}
