/**
 * What one request of the write-in queue shows, bounded whatever the number of write-ins: one page
 * of groups (groups with pending entries first), at most a few entries of each, and as merge targets
 * only the groups a reviewer searched for. Listing every other group in each group's "合并到" list
 * made the page grow with the square of the groups: 9,000 groups exhausted the server's memory.
 */
import { pageOf, type Page } from '~/lib/paging';
import { normaliseProduct, type EntryStatus, type GroupedEntry, type WriteInGroup } from './write-in-groups';

export const QUEUE_PAGE_SIZE = 50;
/** Entries shown (and decided in one go) per group; the rest follow once these are decided. */
export const ENTRIES_SHOWN_PER_GROUP = 20;
export const MERGE_SEARCH_LIMIT = 20;
/** The longest search text looked at. */
export const MERGE_SEARCH_MAX_LENGTH = 40;

/** Groups with something to decide first, otherwise in the order given (largest first). */
export function queuePage(
  groups: readonly WriteInGroup[],
  requestedPage: number,
  pageSize: number = QUEUE_PAGE_SIZE,
): Page<WriteInGroup> {
  const pendingFirst = [
    ...groups.filter((group) => group.counts.pending > 0),
    ...groups.filter((group) => group.counts.pending === 0),
  ];
  return pageOf(pendingFirst, requestedPage, pageSize);
}

const STATUS_ORDER: Record<EntryStatus, number> = { pending: 0, approved: 1, merged: 2, rejected: 3 };

/** The entries of a group to show: pending ones first (they are what the reviewer decides), oldest first. */
export function shownEntries(
  group: WriteInGroup,
  max: number = ENTRIES_SHOWN_PER_GROUP,
): { entries: GroupedEntry[]; hidden: number } {
  const entries = [...group.entries]
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.createdAt.localeCompare(b.createdAt))
    .slice(0, max);
  return { entries, hidden: group.entries.length - entries.length };
}

/**
 * Groups to merge into, found by what the reviewer typed: the normalised text anywhere in a group's
 * key, or the typed text in its label or other wordings. At most `limit`, largest first.
 */
export function searchMergeTargets(
  groups: readonly WriteInGroup[],
  query: string,
  limit: number = MERGE_SEARCH_LIMIT,
): WriteInGroup[] {
  const typed = [...query.trim()].slice(0, MERGE_SEARCH_MAX_LENGTH).join('');
  if (!typed) return [];
  const normalised = normaliseProduct(typed);
  const found: WriteInGroup[] = [];
  for (const group of groups) {
    const matches =
      (normalised !== '' && group.groupKey.includes(normalised)) ||
      group.label.includes(typed) ||
      group.variants.some((variant) => variant.includes(typed));
    if (matches) {
      found.push(group);
      if (found.length >= limit) break;
    }
  }
  return found;
}
