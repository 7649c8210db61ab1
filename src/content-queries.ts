/**
 * Reading the content collections the way pages need them: sorted, joined and counted.
 * Pages stay thin; the arithmetic lives in `lib/` and is unit-tested there.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { dateSortKey } from './lib/sampling/normalise';

export type AnnouncementEntry = CollectionEntry<'announcements'>;
export type ExplanationEntry = CollectionEntry<'explanations'>;
export type RecallEntry = CollectionEntry<'recalls'>;
export type PlanEntry = CollectionEntry<'plans'>;

type DatedEntry = { id: string; data: { date: Parameters<typeof dateSortKey>[0]; firstPublishedAt: string } };
const sortKey = (entry: DatedEntry) => dateSortKey(entry.data.date, entry.data.firstPublishedAt);
const newestFirst = <T extends DatedEntry>(a: T, b: T) =>
  sortKey(b).localeCompare(sortKey(a)) || a.id.localeCompare(b.id);

export async function announcementsNewestFirst(): Promise<AnnouncementEntry[]> {
  return (await getCollection('announcements')).sort(newestFirst);
}

export async function recallsNewestFirst(): Promise<RecallEntry[]> {
  return (await getCollection('recalls')).sort(newestFirst);
}

export async function explanationsByItem(): Promise<ExplanationEntry[]> {
  return (await getCollection('explanations')).sort((a, b) => a.data.testItem.localeCompare(b.data.testItem, 'zh-CN'));
}
