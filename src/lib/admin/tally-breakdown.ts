/**
 * The staff view of a tally: votes per nomination with rank, and the breakdowns by channel, event,
 * event type, district, hour and day. Everything comes from the incremental tally and the write-in
 * index; nothing here reads ballots.
 */
import { DISTRICTS } from '~/lib/voting/districts';
import { CHANNELS, EVENT_TYPE_LABELS, EVENT_TYPES, type CampaignTally, type Channel } from '~/lib/voting/tally';
import { groupNomination, parseNomination, targetNomination, type WriteInGroup } from './write-in-groups';
import type { NominationKey } from './types';

export const CHANNEL_LABELS: Record<Channel, string> = {
  online: '网上投票',
  event: '现场活动（扫码）',
  kiosk: '现场投票机',
};

export interface CountRow {
  key: string;
  label: string;
  count: number;
  /** Share of all ballots, 0–1. */
  share: number;
}

export interface Breakdown {
  total: number;
  channels: CountRow[];
  events: CountRow[];
  eventTypes: CountRow[];
  districts: CountRow[];
  /** Ballots without a district. */
  noDistrict: number;
  hours: CountRow[];
  days: CountRow[];
}

function rows(entries: [string, string, number][], total: number): CountRow[] {
  return entries.map(([key, label, count]) => ({ key, label, count, share: total > 0 ? count / total : 0 }));
}

export function tallyBreakdown(tally: CampaignTally, eventNames: ReadonlyMap<string, string>): Breakdown {
  const total = tally.total;
  const days = new Map<string, number>();
  for (const [hour, count] of Object.entries(tally.hours))
    days.set(hour.slice(0, 10), (days.get(hour.slice(0, 10)) ?? 0) + count);
  const districtTotal = Object.values(tally.districts).reduce((sum, count) => sum + count, 0);
  const knownDistricts = new Set<string>(DISTRICTS);
  return {
    total,
    channels: rows(
      CHANNELS.map((channel) => [channel, CHANNEL_LABELS[channel], tally.channels[channel] ?? 0]),
      total,
    ),
    events: rows(
      Object.entries(tally.events)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([code, count]) => [code, eventNames.get(code) ? `${eventNames.get(code)}（${code}）` : code, count]),
      total,
    ),
    eventTypes: rows(
      EVENT_TYPES.map((type) => [type, EVENT_TYPE_LABELS[type], tally.eventTypes[type] ?? 0]),
      total,
    ),
    districts: rows(
      [
        ...DISTRICTS.map((district): [string, string, number] => [district, district, tally.districts[district] ?? 0]),
        ...Object.entries(tally.districts)
          .filter(([district]) => !knownDistricts.has(district))
          .map(([district, count]): [string, string, number] => [district, district, count]),
      ],
      total,
    ),
    noDistrict: Math.max(0, total - districtTotal),
    hours: rows(
      Object.entries(tally.hours)
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([hour, count]) => [hour, `${hour.slice(0, 10)} ${hour.slice(11, 13)}:00`, count]),
      total,
    ),
    days: rows(
      [...days.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([day, count]) => [day, day, count]),
      total,
    ),
  };
}

export interface RankedNomination {
  nomination: NominationKey;
  kind: 'candidate' | 'writeIn';
  label: string;
  votes: number;
  /** Votes that came from write-ins merged into it (included in `votes`). */
  mergedVotes: number;
  /** 1-based; ties share a rank (1, 2, 2, 4). */
  rank: number;
}

/** Follows merges of a group into a group into … ; null when the chain ends nowhere counted. */
function resolveTarget(
  start: NominationKey,
  groups: ReadonlyMap<string, WriteInGroup>,
  candidateIds: ReadonlySet<string>,
): NominationKey | null {
  let current = start;
  for (let hop = 0; hop < 10; hop += 1) {
    const target = parseNomination(current);
    if (!target) return null;
    if (target.kind === 'candidate') return candidateIds.has(target.candidateId) ? current : null;
    const group = groups.get(target.groupKey);
    if (!group) return null;
    if (group.counts.approved > 0) return current;
    const onward = group.entries.find((entry) => entry.status === 'merged' && entry.mergedInto)?.mergedInto;
    if (!onward) return null;
    current = targetNomination(onward);
  }
  return null;
}

/**
 * Candidates plus approved write-in groups, by votes. A write-in merged into a nomination adds its
 * ballot to that nomination, once per ballot (a ballot that chose the candidate and also wrote it in
 * counts once).
 */
export function rankNominations(
  candidates: readonly { id: string; name: string }[],
  tally: Pick<CampaignTally, 'candidates'>,
  groups: readonly WriteInGroup[],
): RankedNomination[] {
  const candidateIds = new Set(candidates.map((candidate) => candidate.id));
  const byKey = new Map(groups.map((group) => [group.groupKey, group]));
  const ballots = new Map<NominationKey, Set<string>>();
  const mergedBallots = new Map<NominationKey, Set<string>>();
  const add = (map: Map<NominationKey, Set<string>>, key: NominationKey, ballotId: string) => {
    const set = map.get(key);
    if (set) set.add(ballotId);
    else map.set(key, new Set([ballotId]));
  };
  for (const group of groups) {
    for (const entry of group.entries) {
      if (entry.status === 'approved') add(ballots, groupNomination(group.groupKey), entry.ballotId);
      if (entry.status === 'merged' && entry.mergedInto) {
        const target = resolveTarget(targetNomination(entry.mergedInto), byKey, candidateIds);
        if (!target) continue;
        const chose = target.startsWith('c:') && entry.choices.includes(target.slice(2));
        if (!chose) add(mergedBallots, target, entry.ballotId);
      }
    }
  }
  const list: Omit<RankedNomination, 'rank'>[] = [
    ...candidates.map((candidate) => {
      const key = `c:${candidate.id}`;
      const merged = mergedBallots.get(key)?.size ?? 0;
      return {
        nomination: key,
        kind: 'candidate' as const,
        label: candidate.name,
        votes: (tally.candidates[candidate.id] ?? 0) + merged,
        mergedVotes: merged,
      };
    }),
    ...groups
      .filter((group) => group.counts.approved > 0)
      .map((group) => {
        const key = groupNomination(group.groupKey);
        const own = ballots.get(key) ?? new Set<string>();
        const mergedOnly = [...(mergedBallots.get(key) ?? [])].filter((ballotId) => !own.has(ballotId)).length;
        return {
          nomination: key,
          kind: 'writeIn' as const,
          label: group.label,
          votes: own.size + mergedOnly,
          mergedVotes: mergedOnly,
        };
      }),
  ];
  list.sort((a, b) => b.votes - a.votes || a.label.localeCompare(b.label, 'zh-CN'));
  let rank = 0;
  let previous: number | null = null;
  return list.map((item, index) => {
    if (item.votes !== previous) rank = index + 1;
    previous = item.votes;
    return { ...item, rank };
  });
}
