/**
 * Spreadsheets waiting for their column mapping, in the file store:
 *
 *   pending-uploads/<id>        the uploaded bytes, 0600, named by id only
 *   pending-uploads/<id>.json   its PendingUpload record, written after the bytes
 *
 * Not backed up: they are minutes old and only spare staff a second upload. Writes run one at a
 * time, so the sweep of expired uploads and the per-owner cap see every earlier write.
 */
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  displacedPendingUploads,
  isPendingUploadExpired,
  type NewPendingUpload,
  type PendingUpload,
} from '~/lib/publishing/pending-uploads';
import { isPendingUploadId } from '~/server/store/shared/ids';
import { newPendingUpload } from '~/server/store/shared/pending-uploads';
import type { PendingUploads } from '~/server/store/store';
import { FOLDER_MODE, writeFileDurably } from './durable';

export const PENDING_UPLOADS_FOLDER = 'pending-uploads';

export class FilePendingUploads implements PendingUploads {
  readonly #folder: string;
  readonly #now: () => Date;
  #writes: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, now: () => Date) {
    this.#folder = join(dataDir, PENDING_UPLOADS_FOLDER);
    this.#now = now;
    mkdirSync(this.#folder, { recursive: true, mode: FOLDER_MODE });
  }

  /** Runs `write` after every write begun before it. */
  #serialized<T>(write: () => Promise<T>): Promise<T> {
    const result = this.#writes.then(write);
    this.#writes = result.catch(() => undefined);
    return result;
  }

  async #record(id: string): Promise<PendingUpload | null> {
    try {
      return JSON.parse(await readFile(join(this.#folder, `${id}.json`), 'utf8')) as PendingUpload;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** The record goes first: without it the bytes are never read, whatever happens after. */
  async #remove(id: string): Promise<void> {
    await rm(join(this.#folder, `${id}.json`), { force: true });
    await rm(join(this.#folder, id), { force: true });
  }

  put(input: NewPendingUpload, content: Buffer): Promise<PendingUpload> {
    return this.#serialized(async () => {
      const now = this.#now();
      const upload = newPendingUpload(input, content, now);
      const ids = (await readdir(this.#folder)).flatMap((name) => {
        const id = name.slice(0, -'.json'.length);
        return name.endsWith('.json') && isPendingUploadId(id) ? [id] : [];
      });
      const kept: PendingUpload[] = [];
      for (const id of ids) {
        const record = await this.#record(id);
        if (record && isPendingUploadExpired(record, now)) await this.#remove(id);
        else if (record?.owner === input.owner) kept.push(record);
      }
      for (const id of displacedPendingUploads(kept)) await this.#remove(id);
      await writeFileDurably(join(this.#folder, upload.id), content);
      await writeFileDurably(join(this.#folder, `${upload.id}.json`), JSON.stringify(upload));
      return upload;
    });
  }

  async get(id: string): Promise<{ upload: PendingUpload; content: Buffer } | null> {
    if (!isPendingUploadId(id)) return null;
    const upload = await this.#record(id);
    if (!upload || isPendingUploadExpired(upload, this.#now())) return null;
    try {
      return { upload, content: await readFile(join(this.#folder, id)) };
    } catch (error) {
      // Removed (used, displaced or expired) between reading the record and the bytes.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  delete(id: string): Promise<void> {
    return this.#serialized(async () => {
      if (isPendingUploadId(id)) await this.#remove(id);
    });
  }

  /** Resolves once every write begun so far is on disk. */
  async settled(): Promise<void> {
    await this.#writes;
  }
}
