/**
 * The public catalogue: everything the public site shows, as one value per content version. The
 * sample content in `content/` and the store's published items are merged here, so every public
 * page, feed, statistic and index reads one list and can never disagree with another.
 *
 * Rules:
 * - a store item replaces the sample item of the same kind and slug (how staff correct sample content);
 * - a store item shows its latest revision; a withdrawn one keeps its withdrawal (its page says
 *   已撤回 and why) but is left out of everything that lists (`listed`);
 * - announcements and recalls are newest first (the source's day, else the portal's first day),
 *   explanations by test item in pinyin order; ties by slug, so the order is stable.
 *
 * Entries of unchanged items are the same objects from one catalogue to the next (see `reuse` in
 * `buildCatalogue`), so `catalogueChanges` finds what changed by identity.
 */
import type { Announcement, Recall } from '~/lib/content-schemas';
import {
  PUBLICATION_KINDS,
  type AttachmentRef,
  type ContentOfKind,
  type Publication,
  type PublicationKind,
  type PublicationRevision,
  type PublicationWithdrawal,
} from '~/lib/publishing/model';
import { dateSortKey } from '~/lib/sampling/normalise';

export interface CatalogueEntry<K extends PublicationKind = PublicationKind> {
  /** The slug. */
  id: string;
  /** The latest published revision (or the sample file). */
  data: ContentOfKind[K];
  origin: 'sample' | 'store';
  /** Published revisions, oldest first; [] for sample content. */
  revisions: PublicationRevision<K>[];
  withdrawal: PublicationWithdrawal | null;
  /** The documents the public may download (none for sample content or a withdrawn item). */
  attachments: readonly AttachmentRef[];
}

export interface Catalogue {
  /** The store's content version this catalogue was built from. */
  version: number;
  announcements: CatalogueEntry<'announcements'>[];
  explanations: CatalogueEntry<'explanations'>[];
  recalls: CatalogueEntry<'recalls'>[];
}

/** The sample content, as the build-time collections give it. */
export type SampleContent = { [K in PublicationKind]: readonly { id: string; data: ContentOfKind[K] }[] };

/** Whether the entry appears in lists, feeds, statistics and search (not withdrawn). */
export function listed(entry: CatalogueEntry): boolean {
  return entry.withdrawal === null;
}

/** The store item's public face, or null when it has none (never published, or withdrawn with no content). */
export function storeEntry<K extends PublicationKind>(
  publication: Publication<K>,
  sampleData: ContentOfKind[K] | undefined,
): CatalogueEntry<K> | null {
  const latest = publication.revisions.at(-1);
  const data = latest?.data ?? (publication.withdrawal ? sampleData : undefined);
  if (!data) return null;
  return {
    id: publication.slug,
    data,
    origin: 'store',
    revisions: publication.revisions,
    withdrawal: publication.withdrawal,
    attachments: publication.withdrawal ? [] : publication.attachments,
  };
}

type Dated = { id: string; data: Announcement | Recall };
const datedKey = (entry: Dated) => dateSortKey(entry.data.date, entry.data.firstPublishedAt);

/** Newest first by a key computed once per entry (10,000 entries sort in a few milliseconds). */
function newestFirst<T extends Dated>(entries: T[]): T[] {
  const keyed = entries.map((entry) => ({ entry, key: datedKey(entry) }));
  keyed.sort((a, b) => (a.key === b.key ? a.entry.id.localeCompare(b.entry.id) : a.key < b.key ? 1 : -1));
  return keyed.map(({ entry }) => entry);
}

const collator = new Intl.Collator('zh-CN');
function byTestItem(entries: CatalogueEntry<'explanations'>[]): CatalogueEntry<'explanations'>[] {
  return entries.sort((a, b) => collator.compare(a.data.testItem, b.data.testItem) || a.id.localeCompare(b.id));
}

export interface BuildOptions {
  /**
   * The entry to use for a store item, given the one built last time for the same record: lets the
   * caller validate each stored record once and keep unchanged entries identical across versions.
   */
  entryOf: <K extends PublicationKind>(
    publication: Publication<K>,
    sampleData: ContentOfKind[K] | undefined,
  ) => CatalogueEntry<K> | null;
}

/** Sample entries once per process: the sample content does not change while the server runs. */
export function sampleEntries<K extends PublicationKind>(
  sample: readonly { id: string; data: ContentOfKind[K] }[],
): CatalogueEntry<K>[] {
  return sample.map(({ id, data }) => ({
    id,
    data,
    origin: 'sample',
    revisions: [],
    withdrawal: null,
    attachments: [],
  }));
}

function mergeKind<K extends PublicationKind>(
  kind: K,
  sample: readonly CatalogueEntry<K>[],
  published: readonly Publication[],
  options: BuildOptions,
): CatalogueEntry<K>[] {
  const bySlug = new Map<string, CatalogueEntry<K>>(sample.map((entry) => [entry.id, entry]));
  for (const publication of published) {
    if (publication.kind !== kind) continue;
    const entry = options.entryOf(publication as Publication<K>, bySlug.get(publication.slug)?.data);
    if (entry) bySlug.set(publication.slug, entry);
  }
  return [...bySlug.values()];
}

export function buildCatalogue(
  version: number,
  sample: { [K in PublicationKind]: readonly CatalogueEntry<K>[] },
  published: readonly Publication[],
  options: BuildOptions = { entryOf: storeEntry },
): Catalogue {
  return {
    version,
    announcements: newestFirst(mergeKind('announcements', sample.announcements, published, options)),
    explanations: byTestItem(mergeKind('explanations', sample.explanations, published, options)),
    recalls: newestFirst(mergeKind('recalls', sample.recalls, published, options)),
  };
}

/** The cache tag of the pages that list a kind (lists, home page, statistics, feeds). */
export const kindTag = (kind: PublicationKind) => `content:${kind}`;
/** The cache tag of one item's pages (its page and its revisions). */
export const entryTag = (kind: PublicationKind, slug: string) => `content:${kind}/${slug}`;

/** The cache tag of the catalogue version a page was rendered from. */
export const catalogueTag = (version: number) => `catalogue:${version}`;
const CATALOGUE_TAG = /^catalogue:(\d+)$/;

/**
 * Whether a cached page predates an invalidation of one of its tags: rendered from an older catalogue
 * (the oldest, when it read more than one) than the version that last invalidated the tag.
 */
export function outdated(tags: readonly string[], invalidatedAt: ReadonlyMap<string, number>): boolean {
  const versions = tags.flatMap((tag) => {
    const match = CATALOGUE_TAG.exec(tag);
    return match ? [Number(match[1])] : [];
  });
  if (versions.length === 0) return false;
  const renderedFrom = Math.min(...versions);
  return tags.some((tag) => (invalidatedAt.get(tag) ?? -1) > renderedFrom);
}

/** The cache tags whose pages differ between two catalogues: each changed kind and each changed item. */
export function catalogueChanges(previous: Catalogue, next: Catalogue): string[] {
  const tags: string[] = [];
  for (const kind of PUBLICATION_KINDS) {
    const before = new Map<string, CatalogueEntry>(previous[kind].map((entry) => [entry.id, entry]));
    const changed = new Set<string>();
    for (const entry of next[kind]) {
      if (before.get(entry.id) !== entry) changed.add(entry.id);
      before.delete(entry.id);
    }
    for (const id of before.keys()) changed.add(id);
    if (changed.size === 0) continue;
    tags.push(kindTag(kind), ...[...changed].map((id) => entryTag(kind, id)));
  }
  return tags;
}

/**
 * When the public side of these entries last changed: the latest publication, correction or
 * withdrawal of a store item (ISO instant), or null when all are sample content.
 */
export function lastStoreChange(entries: readonly CatalogueEntry[]): string | null {
  let latest: string | null = null;
  for (const entry of entries) {
    const times = [entry.revisions.at(-1)?.publishedAt, entry.withdrawal?.at];
    for (const time of times) if (time && (latest === null || Date.parse(time) > Date.parse(latest))) latest = time;
  }
  return latest;
}

/**
 * The earlier version a reader asks for by its number in the address (`…/revisions/<n>/`), with the
 * latest; null for anything else — a malformed number, no such version, or the latest itself, whose
 * address is the item's own.
 */
export function earlierRevision<K extends PublicationKind>(
  entry: { revisions: readonly PublicationRevision<K>[] },
  numberText: string,
): { revision: PublicationRevision<K>; latest: PublicationRevision<K> } | null {
  if (!/^[1-9]\d{0,5}$/.test(numberText)) return null;
  const number = Number(numberText);
  const latest = entry.revisions.at(-1);
  const revision = entry.revisions.find((candidate) => candidate.number === number);
  if (!latest || !revision || revision === latest) return null;
  return { revision, latest };
}

/** The latest correction (更正) of an entry: its newest revision when that is not the first, else null. */
export function latestCorrection<R extends Pick<PublicationRevision, 'number'>>(entry: {
  revisions: readonly R[];
}): R | null {
  const latest = entry.revisions.at(-1);
  return latest && latest.number > 1 ? latest : null;
}
