/**
 * The published content as the running server sees it (`astro:content` works in SSR), turned
 * into the retrieval index once per process, on the first question.
 */
import { getCollection } from 'astro:content';
import { buildPassages } from '~/lib/assistant/passages';
import { AssistantIndex } from '~/lib/assistant/search-index';
import type { AssistantContent, ContentEntry } from '~/lib/assistant/types';

/**
 * Campaign pages (`content/campaigns/`) are another module's; until that collection exists the
 * lookup fails or finds nothing, and the assistant simply has no campaign pages.
 */
async function campaigns(): Promise<ContentEntry<Record<string, unknown>>[]> {
  try {
    const lookup = getCollection as unknown as (
      name: string,
    ) => Promise<ContentEntry<Record<string, unknown>>[] | undefined>;
    return (await lookup('campaigns')) ?? [];
  } catch {
    return [];
  }
}

export async function loadPublishedContent(): Promise<AssistantContent> {
  const [announcements, explanations, recalls, plans, campaignReports, campaignPages] = await Promise.all([
    getCollection('announcements'),
    getCollection('explanations'),
    getCollection('recalls'),
    getCollection('plans'),
    getCollection('campaignReports'),
    campaigns(),
  ]);
  const entry = <T>(e: { id: string; data: T }) => ({ id: e.id, data: e.data });
  return {
    announcements: announcements.map(entry),
    explanations: explanations.map(entry),
    recalls: recalls.map(entry),
    plans: plans.map(entry),
    campaignReports: campaignReports.map(entry),
    campaigns: campaignPages.map(entry),
  };
}

let index: Promise<AssistantIndex> | undefined;

export function publishedIndex(): Promise<AssistantIndex> {
  index ??= loadPublishedContent().then((content) => new AssistantIndex(buildPassages(content)));
  return index;
}
