/**
 * Live content collections: what the public pages read at request time — the public catalogue
 * (src/server/content/catalogue.ts: the sample content merged with what staff publish), so a
 * publication, correction or withdrawal reaches every page without a rebuild.
 *
 * They carry no schema here: every record was validated against the content schemas once, when the
 * catalogue took it in, and validating 10,000 announcements again on every page render would cost
 * more than the render. The build-time collections of the sample content stay in content.config.ts.
 *
 * Cache hints tag each answer with what it read (see src/server/content/page-cache.ts): the kind for
 * a collection, the item for an entry, and the catalogue version for both.
 */
import { defineLiveCollection } from 'astro:content';
import type { LiveLoader } from 'astro/loaders';
import { catalogueTag, entryTag, kindTag, listed, type CatalogueEntry } from '~/lib/publishing/catalogue';
import type { ContentOfKind, PublicationKind } from '~/lib/publishing/model';
import { currentCatalogue } from '~/server/content/catalogue';

/** `{ withdrawn: 'include' }` lists withdrawn entries too (for when a feed last changed). */
export interface CatalogueFilter {
  withdrawn?: 'include';
}

/**
 * A loader over one kind of the catalogue. Collections list only what is listed (not withdrawn)
 * unless the filter says otherwise; an entry is found withdrawn or not. Entries are the catalogue's
 * own, so their revisions and withdrawal come along (read them through src/content-queries.ts).
 */
function catalogueLoader<K extends PublicationKind>(
  kind: K,
): LiveLoader<ContentOfKind[K], { id: string }, CatalogueFilter> {
  return {
    name: `portal-catalogue-${kind}`,
    async loadCollection({ filter }) {
      const catalogue = await currentCatalogue();
      const all = catalogue[kind] as CatalogueEntry<K>[];
      const entries = filter?.withdrawn === 'include' ? all : all.filter(listed);
      return { entries, cacheHint: { tags: [kindTag(kind), catalogueTag(catalogue.version)] } };
    },
    async loadEntry({ filter }) {
      const catalogue = await currentCatalogue();
      const entry = (catalogue[kind] as CatalogueEntry<K>[]).find((candidate) => candidate.id === filter.id);
      if (!entry) return undefined;
      return { ...entry, cacheHint: { tags: [entryTag(kind, entry.id), catalogueTag(catalogue.version)] } };
    },
  };
}

export const collections = {
  publishedAnnouncements: defineLiveCollection({ loader: catalogueLoader('announcements') }),
  publishedExplanations: defineLiveCollection({ loader: catalogueLoader('explanations') }),
  publishedRecalls: defineLiveCollection({ loader: catalogueLoader('recalls') }),
};
