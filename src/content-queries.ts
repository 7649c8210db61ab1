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

const newestFirst = <T extends { id: string; data: { date: Parameters<typeof dateSortKey>[0] } }>(a: T, b: T) =>
  dateSortKey(b.data.date).localeCompare(dateSortKey(a.data.date)) || a.id.localeCompare(b.id);

export async function announcementsNewestFirst(): Promise<AnnouncementEntry[]> {
  return (await getCollection('announcements')).sort(newestFirst);
}

export async function recallsNewestFirst(): Promise<RecallEntry[]> {
  return (await getCollection('recalls')).sort(newestFirst);
}

export async function explanationsByItem(): Promise<ExplanationEntry[]> {
  return (await getCollection('explanations')).sort((a, b) => a.data.testItem.localeCompare(b.data.testItem, 'zh-CN'));
}
