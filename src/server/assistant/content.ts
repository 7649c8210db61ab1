/**
 * The published content as the running server sees it — announcements, explanations and recalls from
 * the public catalogue (sample and staff-published content, withdrawn items left out), the rest from
 * the build's collections — turned into the retrieval index once per content version: on the first
 * question, and again in the background whenever the catalogue changes (never per question).
 */
import { getCollection } from 'astro:content';
import { listed, type Catalogue } from '~/lib/publishing/catalogue';
import { currentCatalogue, onCatalogueChange } from '~/server/content/catalogue';
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

export async function loadPublishedContent(catalogue: Catalogue): Promise<AssistantContent> {
  const [plans, campaignReports, campaignPages] = await Promise.all([
    getCollection('plans'),
    getCollection('campaignReports'),
    campaigns(),
  ]);
  const entry = <T>(e: { id: string; data: T }) => ({ id: e.id, data: e.data });
  return {
    announcements: catalogue.announcements.filter(listed).map(entry),
    explanations: catalogue.explanations.filter(listed).map(entry),
    recalls: catalogue.recalls.filter(listed).map(entry),
    plans: plans.map(entry),
    campaignReports: campaignReports.map(entry),
    campaigns: campaignPages.map(entry),
  };
}

const indexOf = (catalogue: Catalogue) =>
  loadPublishedContent(catalogue).then((content) => new AssistantIndex(buildPassages(content)));

/** The index of the catalogue version last seen; the previous one answers while the next is built. */
let index: { version: number; ready: Promise<AssistantIndex> } | undefined;
/** The index `index.ready` resolved to, for the synchronous reader (`newestIndex`). */
let built: AssistantIndex | undefined;

onCatalogueChange((catalogue) => {
  if (!index) return; // nobody asked yet: built on the first question
  const next = { version: catalogue.version, ready: indexOf(catalogue) };
  next.ready.then(
    (nextIndex) => {
      if (!index || index.version < next.version) {
        index = next;
        built = nextIndex;
      }
    },
    (error: unknown) => console.error('[assistant] 无法重建检索索引', error),
  );
});

export async function publishedIndex(): Promise<AssistantIndex> {
  if (!index) {
    const catalogue = await currentCatalogue();
    index ??= { version: catalogue.version, ready: indexOf(catalogue) };
  }
  const ready = await index.ready;
  built ??= ready;
  return ready;
}

/**
 * The newest index built, once `publishedIndex()` has resolved: what a long-lived reader (the
 * assistant service) asks on every question, so it follows each publication, correction and
 * withdrawal instead of keeping the index it started with.
 */
export function newestIndex(): AssistantIndex {
  if (!built) throw new Error('[assistant] 检索索引尚未建立：先等待 publishedIndex()');
  return built;
}
