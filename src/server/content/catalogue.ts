/**
 * This process's public catalogue (lib/publishing/catalogue): the sample content of the build merged
 * with what the store publishes, rebuilt once per content version, never per request.
 *
 * A rebuild starts when the store says the content changed (`onContentChange`: in this process, and
 * with PostgreSQL from every other process over LISTEN/NOTIFY) and, so that a lost signal heals within
 * seconds, when a cheap check of `contentVersion()` every CHECK_INTERVAL_MS finds a newer version.
 * Readers are never held up by a rebuild: until the new catalogue is ready they get the previous one.
 * Only the very first call waits (the server entry makes it before it listens).
 *
 * Each stored record is validated against the content schemas once per version of the record; a
 * record that fails is left out (and logged) rather than breaking every page that lists its kind.
 */
import type { z } from 'zod';
import { announcementSchema, explanationSchema, recallSchema } from '~/lib/content-schemas';
import {
  buildCatalogue,
  sampleEntries,
  storeEntry,
  type Catalogue,
  type CatalogueEntry,
} from '~/lib/publishing/catalogue';
import type { ContentOfKind, Publication, PublicationKind } from '~/lib/publishing/model';
import { getStore } from '~/server/store/instance';

export type { Catalogue, CatalogueEntry };

/** How often the content version is checked in case a change signal was missed. */
const CHECK_INTERVAL_MS = 5_000;

const schemas: { [K in PublicationKind]: z.ZodType<ContentOfKind[K]> } = {
  announcements: announcementSchema,
  explanations: explanationSchema,
  recalls: recallSchema,
};

type CatalogueListener = (catalogue: Catalogue, previous: Catalogue) => void;

/**
 * Imported when first needed, not at the top: astro:content awaits src/live.config.ts while it loads,
 * and the live loaders import this module, so a static import would be a cycle of top-level awaits
 * that never settles.
 */
async function loadSample() {
  const { getCollection } = await import('astro:content');
  const [announcements, explanations, recalls] = await Promise.all([
    getCollection('announcements'),
    getCollection('explanations'),
    getCollection('recalls'),
  ]);
  return {
    announcements: sampleEntries<'announcements'>(announcements),
    explanations: sampleEntries<'explanations'>(explanations),
    recalls: sampleEntries<'recalls'>(recalls),
  };
}

/** The entry built for each stored record at its version, so unchanged records keep their entry. */
interface Built {
  version: number;
  entry: CatalogueEntry | null;
}

class LiveCatalogue {
  #current: Catalogue | null = null;
  #first: Promise<Catalogue> | null = null;
  #rebuilding: Promise<void> | null = null;
  /** A newer version was announced while a rebuild ran: run one more after it. */
  #again = false;
  #built = new Map<string, Built>();
  #listeners = new Set<CatalogueListener>();
  #sample: ReturnType<typeof loadSample> | null = null;

  current(): Promise<Catalogue> {
    if (this.#current) return Promise.resolve(this.#current);
    this.#first ??= this.#start();
    return this.#first;
  }

  onChange(listener: CatalogueListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #start(): Promise<Catalogue> {
    const store = await getStore();
    store.publications.onContentChange((version) => this.#announce(version));
    setInterval(() => {
      store.publications.contentVersion().then(
        (version) => this.#announce(version),
        (error: unknown) => console.error('[content] 无法读取内容版本', error),
      );
    }, CHECK_INTERVAL_MS).unref();
    const catalogue = await this.#build();
    this.#current = catalogue;
    return catalogue;
  }

  #announce(version: number): void {
    if (this.#current && version !== this.#current.version) this.#rebuildSoon();
  }

  #rebuildSoon(): void {
    if (this.#rebuilding) {
      this.#again = true;
      return;
    }
    this.#rebuilding = this.#rebuild().finally(() => {
      this.#rebuilding = null;
      if (!this.#again) return;
      this.#again = false;
      this.#rebuildSoon();
    });
  }

  async #rebuild(): Promise<void> {
    const previous = this.#current!;
    const started = performance.now();
    try {
      const next = await this.#build();
      if (next.version === previous.version) return;
      this.#current = next;
      console.log(
        `[content] 公开内容更新到版本 ${next.version}（重建用时 ${Math.round(performance.now() - started)} ms）`,
      );
      for (const listener of this.#listeners) {
        try {
          listener(next, previous);
        } catch (error) {
          console.error('[content] 内容更新通知出错', error);
        }
      }
    } catch (error) {
      // The previous catalogue stays in service; the next signal or check tries again.
      console.error('[content] 无法重建公开内容目录', error);
    }
  }

  async #build(): Promise<Catalogue> {
    const store = await getStore();
    this.#sample ??= loadSample();
    // The version is read before the records: a change that lands in between makes the next check
    // see a newer version than this catalogue's and rebuild, never the other way round.
    const version = await store.publications.contentVersion();
    const [sample, published] = await Promise.all([this.#sample, store.publications.listPublic()]);
    const seen = new Set<string>();
    const catalogue = buildCatalogue(version, sample, published, {
      entryOf: (publication, sampleData) => {
        seen.add(publication.id);
        return this.#entryOf(publication, sampleData);
      },
    });
    for (const id of this.#built.keys()) if (!seen.has(id)) this.#built.delete(id);
    return catalogue;
  }

  #entryOf<K extends PublicationKind>(
    publication: Publication<K>,
    sampleData: ContentOfKind[K] | undefined,
  ): CatalogueEntry<K> | null {
    const known = this.#built.get(publication.id);
    if (known && known.version === publication.version) return known.entry as CatalogueEntry<K> | null;
    const entry = storeEntry(publication, sampleData);
    const valid = entry && this.#validates(publication.kind, entry);
    this.#built.set(publication.id, { version: publication.version, entry: valid ? entry : null });
    return valid ? entry : null;
  }

  #validates(kind: PublicationKind, entry: CatalogueEntry): boolean {
    const problems = [entry.data, ...entry.revisions.map((revision) => revision.data)].flatMap(
      (data) => schemas[kind].safeParse(data).error?.issues ?? [],
    );
    if (problems.length === 0) return true;
    const first = problems[0]!;
    console.error(`[content] ${kind}/${entry.id} 未公开：内容不符合格式（${first.path.join('.')}: ${first.message}）`);
    return false;
  }
}

const holder = globalThis as typeof globalThis & { __portalCatalogue?: LiveCatalogue };
const catalogue = (holder.__portalCatalogue ??= new LiveCatalogue());

/** The catalogue of the current content version (or the previous one while the new one is built). */
export function currentCatalogue(): Promise<Catalogue> {
  return catalogue.current();
}

/** Called with each new catalogue (and the one it replaces) once it is in service; returns the unsubscribe. */
export function onCatalogueChange(listener: (catalogue: Catalogue, previous: Catalogue) => void): () => void {
  return catalogue.onChange(listener);
}
