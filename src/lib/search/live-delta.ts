/**
 * The live search index as a base plus a delta (issue 11). Rebuilding the whole index takes minutes at
 * 10,000 announcements; so the base index is rebuilt in the background, and each catalogue change is
 * indexed at once into a small delta bundle holding only the records that differ from the base's. The
 * manifest names the delta and the base records it supersedes (corrected: a newer record is in the
 * delta; withdrawn: gone), which the search page drops from the merged results.
 *
 * Records are told apart by `meta.revision`, a hash of what Pagefind indexes for them: a base record
 * and its correction in the delta share a URL but not a revision, so only the stale one is dropped.
 */
import { SEARCH_LANGUAGE, type SearchRecord } from '~/lib/search/records';

/** A base record the delta replaces or removes: dropped from results when both URL and revision match. */
export interface SupersededRecord {
  url: string;
  revision: string;
}

/** What /pagefind/live.json says. */
export interface LiveManifest {
  /** The content version the base index plus the delta show. */
  version: number;
  /** The content version the base index was built from. */
  baseVersion: number;
  /** The delta bundle's path (ending in `/`), or null when the base is up to date. */
  delta: string | null;
  superseded: SupersededRecord[];
}

export interface DeltaPlan {
  /** Records of the current catalogue that the base lacks or holds in another revision. */
  records: SearchRecord[];
  superseded: SupersededRecord[];
}

/** cyrb53: a fast 53-bit string hash; revisions only need to differ when the text does. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The record (from lib/search/records) with `meta.revision` set from everything Pagefind indexes or shows for it. */
export function withRevision(record: SearchRecord): SearchRecord {
  const revision = hash53(JSON.stringify([record.url, record.language, record.content, record.meta]));
  return { ...record, meta: { ...record.meta, revision } };
}

/** URL → revision of the records an index holds. */
export type RecordRevisions = ReadonlyMap<string, string>;

export function revisionsOf(records: Iterable<SearchRecord>): Map<string, string> {
  const revisions = new Map<string, string>();
  for (const record of records) revisions.set(record.url, record.meta.revision ?? '');
  return revisions;
}

/**
 * Which of the current records (each with its revision) go into the delta, and which base records it
 * supersedes: an added item is in the delta only; a corrected one is in the delta and its base record
 * is superseded; a withdrawn one is only superseded.
 */
export function planDelta(base: RecordRevisions, current: readonly SearchRecord[]): DeltaPlan {
  const records: SearchRecord[] = [];
  const superseded: SupersededRecord[] = [];
  const currentUrls = new Set<string>();
  for (const record of current) {
    currentUrls.add(record.url);
    const baseRevision = base.get(record.url);
    if (baseRevision === record.meta.revision) continue;
    records.push(record);
    if (baseRevision !== undefined) superseded.push({ url: record.url, revision: baseRevision });
  }
  for (const [url, revision] of base) if (!currentUrls.has(url)) superseded.push({ url, revision });
  return { records, superseded };
}

/** The manifest while the base index is current (no delta). */
export function baseOnlyManifest(version: number): LiveManifest {
  return { version, baseVersion: version, delta: null, superseded: [] };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The manifest as the search page reads it, or null when it is not one (an older server, a proxy's
 * error page): the page then searches the base index alone. Checked by hand, not with zod, so that
 * the search page's script stays small; the server writes it from the same type.
 */
export function parseLiveManifest(value: unknown): LiveManifest | null {
  if (!isRecord(value)) return null;
  const { version, baseVersion, delta, superseded } = value;
  if (!Number.isInteger(version) || !Number.isInteger(baseVersion)) return null;
  if (delta !== null && (typeof delta !== 'string' || !delta.startsWith('/') || !delta.endsWith('/'))) return null;
  if (!Array.isArray(superseded)) return null;
  const records: SupersededRecord[] = [];
  for (const entry of superseded) {
    if (!isRecord(entry) || typeof entry.url !== 'string' || typeof entry.revision !== 'string') return null;
    records.push({ url: entry.url, revision: entry.revision });
  }
  return { version: version as number, baseVersion: baseVersion as number, delta, superseded: records };
}

/** A loaded Pagefind result, as far as superseding goes. */
export interface ResultIdentity {
  url: string;
  meta: Record<string, string | undefined>;
}

/**
 * The results without the base records the manifest supersedes, and each record once: a reader who
 * read the manifest just before a base build went into service gets the new base with the older
 * delta, which may hold the same revision of a record again. Pagefind may put an origin before a
 * result's URL; the path is compared.
 */
export function withoutSuperseded<T extends ResultIdentity>(results: T[], manifest: LiveManifest | null): T[] {
  if (!manifest?.delta && !manifest?.superseded.length) return results;
  const dropped = new Set(manifest.superseded.map(({ url, revision }) => `${revision} ${url}`));
  return results.filter((result) => {
    const revision = result.meta.revision;
    if (revision === undefined) return true;
    const key = `${revision} ${new URL(result.url, 'http://site.invalid').pathname}`;
    if (dropped.has(key)) return false;
    dropped.add(key);
    return true;
  });
}

/** Pagefind's browser API (pagefind.js), as far as the live search uses it. */
export interface PagefindEngine<T> {
  mergeIndex: (indexPath: string, options: { language: string }) => Promise<void>;
  search: (query: string) => Promise<{ results: { data: () => Promise<T> }[] }>;
}

/**
 * Merges the manifest's delta bundle into the engine that loaded the base bundle (`origin` before its
 * path where the engine needs whole URLs, as in Node).
 */
export async function mergeDelta<T>(
  engine: PagefindEngine<T>,
  manifest: LiveManifest | null,
  origin = '',
): Promise<void> {
  // The delta's records are in the one search language; the engine's own guess comes from <html lang>.
  if (manifest?.delta) await engine.mergeIndex(`${origin}${manifest.delta}`, { language: SEARCH_LANGUAGE });
}

/**
 * The first `limit` results for `query` from base and delta, loaded, without the superseded base
 * records (as many more are loaded as the manifest supersedes, so dropping them does not cut the list short).
 */
export async function liveResults<T extends ResultIdentity>(
  engine: PagefindEngine<T>,
  manifest: LiveManifest | null,
  query: string,
  limit: number,
): Promise<T[]> {
  const { results } = await engine.search(query);
  const loaded = await Promise.all(
    results.slice(0, limit + (manifest?.superseded.length ?? 0)).map((result) => result.data()),
  );
  return withoutSuperseded(loaded, manifest).slice(0, limit);
}
