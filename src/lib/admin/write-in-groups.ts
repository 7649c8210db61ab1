/**
 * Grouping citizens' write-ins for the reviewer: "充电宝", "充电宝 " and "移动电源产品" name the same
 * product. The key is the product text normalised — invisible characters removed, full-width to
 * half-width (NFKC), lower case,
 * no spaces or punctuation, trailing 产品/类/等/系列 removed, synonyms mapped to one name.
 */
import { visibleText } from '~/lib/voting/ballot-rules';
import type { MergeTarget, NominationKey, WriteInModeration } from './types';

/** Different names of one product → one name (matched longest first, anywhere in the text). */
export const PRODUCT_SYNONYMS: ReadonlyArray<readonly [string, string]> = [
  ['电瓶车', '电动自行车'],
  ['电动车', '电动自行车'],
  ['充电宝', '移动电源'],
  ['安全头盔', '头盔'],
  ['插线板', '插座'],
  ['排插', '插座'],
  ['接线板', '插座'],
];

const TRAILING_SUFFIXES = ['产品', '系列', '用品类', '类', '等'];

export function normaliseProduct(text: string): string {
  let value = visibleText(text)
    .text.toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of TRAILING_SUFFIXES) {
      if (value.length > suffix.length && value.endsWith(suffix)) {
        value = value.slice(0, -suffix.length);
        changed = true;
      }
    }
  }
  const synonyms = [...PRODUCT_SYNONYMS].sort((a, b) => b[0].length - a[0].length);
  let result = '';
  for (let position = 0; position < value.length;) {
    const match = synonyms.find(([name]) => value.startsWith(name, position));
    if (match) {
      result += match[1];
      position += match[0].length;
    } else {
      result += value[position];
      position += 1;
    }
  }
  return result;
}

/** One write-in as the review index keeps it. */
export interface IndexedWriteIn {
  /** `${ballotId}#${index}`. */
  key: string;
  ballotId: string;
  product: string;
  issue: string;
  venue: string | null;
  createdAt: string;
  /** The candidates the same ballot chose, so merged votes are counted once per ballot. */
  choices: readonly string[];
  /** Invisible characters were removed from what the citizen typed (the queue marks it). */
  invisibleRemoved: boolean;
}

export type EntryStatus = 'pending' | 'approved' | 'rejected' | 'merged';

export interface GroupedEntry extends IndexedWriteIn {
  status: EntryStatus;
  version: number;
  reason: string | null;
  mergedInto: MergeTarget | null;
}

export interface WriteInGroup {
  /** Normalised product: `w:<groupKey>` is the group's nomination key. */
  groupKey: string;
  /** The wording most citizens used. */
  label: string;
  /** Other wordings, most used first. */
  variants: string[];
  entries: GroupedEntry[];
  counts: Record<EntryStatus, number>;
}

export function groupNomination(groupKey: string): NominationKey {
  return `w:${groupKey}`;
}

export function targetNomination(target: MergeTarget): NominationKey {
  return target.kind === 'candidate' ? `c:${target.candidateId}` : `w:${target.groupKey}`;
}

export function parseNomination(key: string): MergeTarget | null {
  if (key.startsWith('c:') && key.length > 2) return { kind: 'candidate', candidateId: key.slice(2) };
  if (key.startsWith('w:') && key.length > 2) return { kind: 'writeIn', groupKey: key.slice(2) };
  return null;
}

/** Groups write-ins by normalised product, largest group first, each with its moderation state. */
export function groupWriteIns(
  entries: readonly IndexedWriteIn[],
  moderation: readonly WriteInModeration[],
): WriteInGroup[] {
  const decisions = new Map(moderation.map((record) => [record.key, record]));
  const groups = new Map<string, GroupedEntry[]>();
  for (const entry of entries) {
    const decision = decisions.get(entry.key);
    const grouped: GroupedEntry = {
      ...entry,
      status: decision?.status ?? 'pending',
      version: decision?.version ?? 0,
      reason: decision?.reason ?? null,
      mergedInto: decision?.mergedInto ?? null,
    };
    const groupKey = normaliseProduct(entry.product) || entry.product;
    const list = groups.get(groupKey);
    if (list) list.push(grouped);
    else groups.set(groupKey, [grouped]);
  }
  return [...groups.entries()]
    .map(([groupKey, list]) => {
      const wordings = new Map<string, number>();
      for (const entry of list) wordings.set(entry.product, (wordings.get(entry.product) ?? 0) + 1);
      const ranked = [...wordings.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'))
        .map(([text]) => text);
      const counts: Record<EntryStatus, number> = { pending: 0, approved: 0, rejected: 0, merged: 0 };
      for (const entry of list) counts[entry.status] += 1;
      return { groupKey, label: ranked[0] ?? groupKey, variants: ranked.slice(1), entries: list, counts };
    })
    .sort((a, b) => b.entries.length - a.entries.length || a.groupKey.localeCompare(b.groupKey, 'zh-CN'));
}
