/**
 * Publications and their attachments in the file store, each record in a file of its own so that
 * a save writes one record, not every record: at 10,000 announcements with their failed products
 * portal.json would grow past 100 MB and lowdb rewrites the whole file on every change.
 *
 *   publications/<id>.json   {"publicVersion": n, "publication": {…}}, replaced durably per save
 *   attachments/<id>         the uploaded bytes, 0600 (never executable), named by id only
 *   attachments/<id>.json    its AttachmentRef, written after the bytes: a ref names complete bytes
 *
 * `publicVersion` is the content version this record's last public change advanced to; the store's
 * content version is the largest of them, so it is written in the same atomic rename as the change
 * it counts and survives restarts without a second file to keep in step.
 *
 * Memory holds a small summary per record (ids, slugs, order and due times); reads come from the
 * files. Saves and creates run one at a time: the slug and version checks see every earlier write.
 */
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DRAFT_STAGES, PUBLICATION_KINDS, type AttachmentRef } from '~/lib/publishing/model';
import type { NewPublication, Publication, PublicationKind } from '~/lib/publishing/model';
import {
  createdPublication,
  hasPublicFace,
  isDue,
  newestChangeFirst,
  PublicationSlugTakenError,
  publicationDueAt,
  REVIEW_QUEUE_STAGES,
  reviewQueueAt,
  reviewQueueOrder,
  savedPublication,
  slugKey,
  type ReviewQueueStage,
} from '~/lib/publishing/records';
import { newAttachmentRef } from '~/server/store/shared/attachments';
import { isAttachmentId, newPublicationId } from '~/server/store/shared/ids';
import type { Attachments, Publications } from '~/server/store/store';
import { parseStoreFile } from './documents';
import { FOLDER_MODE, writeFileDurably } from './durable';

export const PUBLICATIONS_FOLDER = 'publications';
export const ATTACHMENTS_FOLDER = 'attachments';

const text = z.string();
const nullableText = z.string().nullable();
const contentData = z.record(z.string(), z.unknown());

/** Checked at open so a damaged record stops the start instead of vanishing from the site. */
const storedPublicationSchema = z.object({
  publicVersion: z.number().int().nonnegative(),
  publication: z.looseObject({
    id: text,
    kind: z.enum(PUBLICATION_KINDS),
    slug: text,
    revisions: z.array(z.looseObject({ number: z.number().int(), data: contentData, publishedAt: text })),
    draft: z.looseObject({ data: contentData, stage: z.enum(DRAFT_STAGES), scheduledFor: nullableText }).nullable(),
    withdrawal: z.looseObject({ reason: text, at: text, by: text }).nullable(),
    attachments: z.array(z.looseObject({ id: text })),
    createdAt: text,
    createdBy: text,
    updatedAt: text,
    version: z.number().int().positive(),
  }),
});

export interface StoredPublication {
  publicVersion: number;
  publication: Publication;
}

/** What the lists, the review queue, the slug check and listDue need without reading a record's file. */
interface Summary {
  id: string;
  kind: PublicationKind;
  slugKey: string;
  updatedAt: string;
  version: number;
  hasPublicFace: boolean;
  dueAt: string | null;
  reviewQueueAt: Record<ReviewQueueStage, string | null>;
  publicVersion: number;
}

function summaryOf({ publication, publicVersion }: StoredPublication): Summary {
  return {
    id: publication.id,
    kind: publication.kind,
    slugKey: slugKey(publication),
    updatedAt: publication.updatedAt,
    version: publication.version,
    hasPublicFace: hasPublicFace(publication),
    dueAt: publicationDueAt(publication),
    reviewQueueAt: Object.fromEntries(
      REVIEW_QUEUE_STAGES.map((stage) => [stage, reviewQueueAt(publication, stage)]),
    ) as Summary['reviewQueueAt'],
    publicVersion,
  };
}

export class FilePublications implements Publications {
  readonly #folder: string;
  readonly #now: () => Date;
  readonly #byId = new Map<string, Summary>();
  readonly #bySlug = new Map<string, string>();
  readonly #listeners = new Set<(version: number) => void>();
  #contentVersion = 0;
  #writes: Promise<unknown> = Promise.resolve();

  private constructor(folder: string, now: () => Date) {
    this.#folder = folder;
    this.#now = now;
  }

  /** Reads every record's summary; a record file that does not parse stops the start, naming it. */
  static async open(dataDir: string, now: () => Date): Promise<FilePublications> {
    const folder = join(dataDir, PUBLICATIONS_FOLDER);
    mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
    const store = new FilePublications(folder, now);
    const names = await readdir(folder);
    // A temporary file is a write that crashed before its rename: the record file is still whole.
    for (const name of names.filter((candidate) => candidate.endsWith('.tmp'))) await rm(join(folder, name));
    const records = names.filter((name) => name.endsWith('.json')).map((name) => join(folder, name));
    // Only the summaries stay: the records themselves are read again when asked for.
    const summaries = await readBounded(records, async (path) => summaryOf(await readStored(path)));
    for (const summary of summaries) store.#remember(summary);
    return store;
  }

  #remember(summary: Summary): void {
    const previous = this.#byId.get(summary.id);
    if (previous) this.#bySlug.delete(previous.slugKey);
    this.#byId.set(summary.id, summary);
    this.#bySlug.set(summary.slugKey, summary.id);
    this.#contentVersion = Math.max(this.#contentVersion, summary.publicVersion);
  }

  #path(id: string): string {
    return join(this.#folder, `${id}.json`);
  }

  /** A record checked at open and written by this store since: parsed, not checked again. */
  async #read(id: string): Promise<Publication> {
    return (JSON.parse(await readFile(this.#path(id), 'utf8')) as StoredPublication).publication;
  }

  #readAll(summaries: readonly Pick<Summary, 'id'>[]): Promise<Publication[]> {
    return readBounded(summaries, (summary) => this.#read(summary.id));
  }

  /** Runs `write` after every write begun before it. */
  #serialized<T>(write: () => Promise<T>): Promise<T> {
    const result = this.#writes.then(write);
    this.#writes = result.catch(() => undefined);
    return result;
  }

  async #write(stored: StoredPublication): Promise<void> {
    await writeFileDurably(this.#path(stored.publication.id), JSON.stringify(stored));
    this.#remember(summaryOf(stored));
  }

  #announce(): void {
    const version = this.#contentVersion;
    for (const listener of this.#listeners) listener(version);
  }

  create(input: NewPublication): Promise<Publication | null> {
    return this.#serialized(async () => {
      if (this.#bySlug.has(slugKey(input))) return null;
      let id = newPublicationId();
      while (this.#byId.has(id)) id = newPublicationId();
      const publication = createdPublication(input, id, this.#now());
      const publicChange = hasPublicFace(publication);
      await this.#write({ publication, publicVersion: publicChange ? this.#contentVersion + 1 : 0 });
      if (publicChange) this.#announce();
      return structuredClone(publication);
    });
  }

  async get(id: string): Promise<Publication | null> {
    return this.#byId.has(id) ? this.#read(id) : null;
  }

  async bySlug(kind: PublicationKind, slug: string): Promise<Publication | null> {
    const id = this.#bySlug.get(slugKey({ kind, slug }));
    return id === undefined ? null : this.#read(id);
  }

  async list(options: { kind?: PublicationKind; limit: number; offset: number }) {
    const matching = [...this.#byId.values()]
      .filter((summary) => options.kind === undefined || summary.kind === options.kind)
      .sort(newestChangeFirst);
    const page = matching.slice(options.offset, options.offset + options.limit);
    return { items: await this.#readAll(page), total: matching.length };
  }

  async listReviewQueue(options: { stage: ReviewQueueStage; limit: number; offset: number }) {
    const queued = [...this.#byId.values()].flatMap((summary) => {
      const at = summary.reviewQueueAt[options.stage];
      return at === null ? [] : [{ id: summary.id, at }];
    });
    queued.sort(reviewQueueOrder);
    const page = queued.slice(options.offset, options.offset + options.limit);
    return { items: await this.#readAll(page), total: queued.length };
  }

  save(next: Publication, expectedVersion: number, options: { publicChange: boolean }): Promise<Publication> {
    return this.#serialized(async () => {
      const summary = this.#byId.get(next.id);
      const current = summary ? await this.#read(next.id) : null;
      const publication = savedPublication(current, next, expectedVersion, this.#now());
      const holder = this.#bySlug.get(slugKey(publication));
      if (holder !== undefined && holder !== publication.id) {
        throw new PublicationSlugTakenError(publication.kind, publication.slug);
      }
      const publicVersion = options.publicChange ? this.#contentVersion + 1 : (summary as Summary).publicVersion;
      await this.#write({ publication, publicVersion });
      if (options.publicChange) this.#announce();
      return structuredClone(publication);
    });
  }

  async listPublic(): Promise<Publication[]> {
    const shown = [...this.#byId.values()].filter((summary) => summary.hasPublicFace).sort(newestChangeFirst);
    return this.#readAll(shown);
  }

  async listDue(now: string): Promise<Publication[]> {
    const candidates = [...this.#byId.values()].filter((summary) => summary.dueAt !== null).sort(newestChangeFirst);
    return (await this.#readAll(candidates)).filter((publication) => isDue(publication, now));
  }

  async contentVersion(): Promise<number> {
    return this.#contentVersion;
  }

  onContentChange(listener: (version: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once every write begun so far is on disk. */
  async settled(): Promise<void> {
    await this.#writes;
  }
}

/** Files open at once while reading many records: well below any process's descriptor limit. */
const READS_AT_ONCE = 32;

/** `read` of every item, in order, with at most READS_AT_ONCE files open. */
async function readBounded<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += READS_AT_ONCE) {
    results.push(...(await Promise.all(items.slice(start, start + READS_AT_ONCE).map(read))));
  }
  return results;
}

async function readStored(path: string): Promise<StoredPublication> {
  return parseStoredPublication(path, await readFile(path, 'utf8'));
}

/** Checks one record file's content (at open, and in backups); anything unusable throws, naming `path`. */
export function parseStoredPublication(path: string, content: string): StoredPublication {
  // The checked shape is the stored one: the raw JSON is returned so no field is dropped.
  return parseStoreFile(path, content, storedPublicationSchema).raw as StoredPublication;
}

/** The attachments among these file names: those whose record (`<id>.json`) was written. */
export function attachmentIdsIn(names: Iterable<string>): string[] {
  return [...names].flatMap((name) => {
    const id = name.slice(0, -'.json'.length);
    return name.endsWith('.json') && isAttachmentId(id) ? [id] : [];
  });
}

export class FileAttachments implements Attachments {
  readonly #folder: string;

  constructor(dataDir: string) {
    this.#folder = join(dataDir, ATTACHMENTS_FOLDER);
    mkdirSync(this.#folder, { recursive: true, mode: FOLDER_MODE });
  }

  async put(file: Omit<AttachmentRef, 'id'>, content: Buffer): Promise<AttachmentRef> {
    const ref = newAttachmentRef(file, content);
    await writeFileDurably(join(this.#folder, ref.id), content);
    await writeFileDurably(join(this.#folder, `${ref.id}.json`), JSON.stringify(ref));
    return ref;
  }

  /** Every stored attachment's id, for copying the store (not part of the port). */
  async ids(): Promise<string[]> {
    return attachmentIdsIn(await readdir(this.#folder));
  }

  async get(id: string): Promise<{ ref: AttachmentRef; content: Buffer } | null> {
    if (!isAttachmentId(id)) return null;
    let ref: AttachmentRef;
    try {
      ref = JSON.parse(await readFile(join(this.#folder, `${id}.json`), 'utf8')) as AttachmentRef;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return { ref, content: await readFile(join(this.#folder, id)) };
  }
}
