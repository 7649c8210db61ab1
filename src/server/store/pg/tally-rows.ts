/**
 * Tallies as counter rows: a CampaignTally flattened into (dimension, key, count) rows that
 * `INSERT … ON CONFLICT DO UPDATE` adds up, and summed rows turned back into a CampaignTally. The
 * counting itself is `addToTally`, the same as the file store's, so both stores count alike.
 */
import { addToTally, emptyTally, type CampaignTally, type Channel, type EventType } from '~/lib/voting/tally';
import type { Ballot } from '~/server/store/store';

export type TallyDimension =
  'total' | 'candidate' | 'channel' | 'event' | 'eventCandidate' | 'eventType' | 'district' | 'hour' | 'writeIns';

/** Key of an `eventCandidate` row: event code and candidate id, which never hold a tab. */
const eventCandidateKey = (eventCode: string, candidateId: string) => `${eventCode}\t${candidateId}`;

export interface TallyRow {
  dimension: TallyDimension;
  key: string;
  count: number;
}

export function countBallot(
  tally: CampaignTally,
  ballot: Pick<Ballot, 'choices' | 'writeIns' | 'district' | 'event' | 'eventType' | 'channel' | 'createdAt'>,
): void {
  addToTally(tally, {
    choices: ballot.choices,
    writeInCount: ballot.writeIns.length,
    district: ballot.district,
    event: ballot.event,
    eventType: ballot.eventType,
    channel: ballot.channel,
    createdAt: ballot.createdAt,
  });
}

/** The non-zero counters of a tally (its `updatedAt` travels separately). */
export function tallyRows(tally: CampaignTally): TallyRow[] {
  const rows: TallyRow[] = [];
  const add = (dimension: TallyDimension, counts: Record<string, number>) => {
    for (const [key, count] of Object.entries(counts)) if (count !== 0) rows.push({ dimension, key, count });
  };
  if (tally.total) rows.push({ dimension: 'total', key: '', count: tally.total });
  add('candidate', tally.candidates);
  add('channel', tally.channels);
  add('event', tally.events);
  for (const [code, votes] of Object.entries(tally.eventCandidates)) {
    for (const [candidate, count] of Object.entries(votes)) {
      if (count !== 0) rows.push({ dimension: 'eventCandidate', key: eventCandidateKey(code, candidate), count });
    }
  }
  add('eventType', tally.eventTypes);
  add('district', tally.districts);
  add('hour', tally.hours);
  if (tally.writeIns) rows.push({ dimension: 'writeIns', key: '', count: tally.writeIns });
  return rows;
}

/** The counters of one ballot. */
export function ballotTallyRows(ballot: Parameters<typeof countBallot>[1]): TallyRow[] {
  const tally = emptyTally();
  countBallot(tally, ballot);
  return tallyRows(tally);
}

export function tallyFromRows(
  rows: readonly { dimension: string; key: string; count: number }[],
  updatedAt: string | null,
): CampaignTally {
  const tally = emptyTally();
  for (const { dimension, key, count } of rows) {
    switch (dimension) {
      case 'total':
        tally.total = count;
        break;
      case 'candidate':
        tally.candidates[key] = count;
        break;
      case 'channel':
        tally.channels[key as Channel] = count;
        break;
      case 'event':
        tally.events[key] = count;
        break;
      case 'eventCandidate': {
        const tab = key.indexOf('\t');
        const code = key.slice(0, tab);
        (tally.eventCandidates[code] ??= {})[key.slice(tab + 1)] = count;
        break;
      }
      case 'eventType':
        tally.eventTypes[key as EventType] = count;
        break;
      case 'district':
        tally.districts[key] = count;
        break;
      case 'hour':
        tally.hours[key] = count;
        break;
      case 'writeIns':
        tally.writeIns = count;
        break;
      default:
        throw new Error(`未知的计票维度：${dimension}`);
    }
  }
  tally.updatedAt = updatedAt;
  return tally;
}
