/**
 * How a public tally is laid out on screen: reading it from the voting API's JSON (see the API
 * contract in README "你点我查投票"), the pure arithmetic of the bar chart, and what the projector
 * says out loud. No I/O: the same module runs on the server (results page) and in the islands.
 */
import type { CandidateVotes, EventVotes, PublicTally } from './tally';

export interface TallyBar extends CandidateVotes {
  /** Bar length as a share of the leading candidate's votes, 0–100, so the leader fills the row. */
  widthPercent: number;
  /** Share of all ballots that picked this candidate, rounded to whole percent. */
  shareOfBallots: number;
}

/**
 * Bars ordered by votes (most first), ties kept in the campaign's own order so that the
 * projector does not shuffle equal bars on every update.
 */
export function tallyBars(tally: PublicTally): TallyBar[] {
  const leading = Math.max(0, ...tally.candidates.map((candidate) => candidate.votes));
  return tally.candidates
    .map((candidate, order) => ({ candidate, order }))
    .sort((a, b) => b.candidate.votes - a.candidate.votes || a.order - b.order)
    .map(({ candidate }) => ({
      ...candidate,
      widthPercent: leading === 0 ? 0 : Math.round((candidate.votes / leading) * 1000) / 10,
      shareOfBallots: tally.total === 0 ? 0 : Math.round((candidate.votes / tally.total) * 100),
    }));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * Reads a tally from untrusted JSON (an SSE message or a fetch response); null when it is not one,
 * so a garbled message leaves the last good chart on the projector instead of blanking it.
 */
export function parsePublicTally(input: unknown): PublicTally | null {
  if (!isRecord(input) || !isCount(input.total) || !Array.isArray(input.candidates)) return null;
  const updatedAt = input.updatedAt;
  if (typeof updatedAt !== 'string' && updatedAt !== null) return null;
  // Older servers sent no count of set-aside ballots: none were set aside then.
  const setAside = input.setAside ?? 0;
  if (!isCount(setAside)) return null;
  const candidates: CandidateVotes[] = [];
  for (const entry of input.candidates) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || typeof entry.name !== 'string' || !isCount(entry.votes)) {
      return null;
    }
    candidates.push({ id: entry.id, name: entry.name, votes: entry.votes });
  }
  // Older servers sent no per-event counts.
  const events = parseEventVotes(input.events ?? {});
  if (!events) return null;
  return { total: input.total, candidates, setAside, events, updatedAt };
}

function parseEventVotes(input: unknown): Record<string, EventVotes> | null {
  if (!isRecord(input)) return null;
  const events: Record<string, EventVotes> = {};
  for (const [code, entry] of Object.entries(input)) {
    if (!isRecord(entry) || !isCount(entry.total) || !isRecord(entry.votes)) return null;
    const votes: Record<string, number> = {};
    for (const [candidate, count] of Object.entries(entry.votes)) {
      if (!isCount(count)) return null;
      votes[candidate] = count;
    }
    events[code] = { total: entry.total, votes };
  }
  return events;
}

/**
 * What the projector's screen-reader region says: short, the total and the leader only,
 * because it is read out loud in a noisy hall at most every 30 seconds.
 */
export function tallyAnnouncement(tally: PublicTally): string {
  const [leader] = tallyBars(tally);
  if (!leader || tally.total === 0) return `目前还没有人投票。`;
  return `目前共 ${tally.total} 人投票，${leader.name} 得票最多，${leader.votes} 票。`;
}

/**
 * Milliseconds to wait before the next announcement so that announcements are at least
 * `minimumGapMs` apart: 0 means "say it now".
 */
export function announcementDelay(lastAnnouncedAt: number | null, now: number, minimumGapMs: number): number {
  if (lastAnnouncedAt === null) return 0;
  return Math.max(0, lastAnnouncedAt + minimumGapMs - now);
}
