/**
 * The file store's audit log: `audit.jsonl`, one JSON entry a line, appended and fsynced before the
 * entry is acknowledged. At `maxFileBytes` the file rotates (`audit.jsonl.1` is the newest rotated
 * one) and only `keepRotated` rotated files are kept, so the log cannot fill the disk. Pages are read
 * newest first from the end of the files, chunk by chunk: a page costs what it shows, not the log.
 */
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { capAuditEntry } from '~/lib/admin/audit-entries';
import type { AuditEntry, NewAuditEntry } from '~/lib/admin/types';
import { ReverseLineSplitter } from '~/lib/text/reverse-lines';
import { newRecordId } from '~/server/store/shared/ids';
import type { AuditLog } from '~/server/store/store';
import { appendFileDurably, fsyncDirectory } from './durable';

export const AUDIT_FILE = 'audit.jsonl';
export const AUDIT_MAX_FILE_BYTES = 16 * 1024 * 1024;
export const AUDIT_KEEP_ROTATED = 4;
const CHUNK_BYTES = 64 * 1024;

export interface AuditLogOptions {
  dataDir: string;
  now: () => Date;
  maxFileBytes?: number | undefined;
  keepRotated?: number | undefined;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** Counts lines by streaming the file (never one string of it). */
async function countLines(path: string): Promise<number> {
  if ((await sizeOf(path)) === 0) return 0;
  let lines = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    for (let index = chunk.indexOf(0x0a); index >= 0; index = chunk.indexOf(0x0a, index + 1)) lines += 1;
  }
  return lines;
}

/** Lines of `path` from the last one backwards, read a chunk at a time. */
export async function* linesFromEnd(path: string): AsyncGenerator<string> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const decoder = new TextDecoder();
    const splitter = new ReverseLineSplitter();
    let position = (await file.stat()).size;
    while (position > 0) {
      const length = Math.min(CHUNK_BYTES, position);
      position -= length;
      const chunk = Buffer.allocUnsafe(length);
      let read = 0;
      while (read < length) read += (await file.read(chunk, read, length - read, position + read)).bytesRead;
      for (const line of splitter.push(chunk)) yield decoder.decode(line);
    }
    const first = splitter.finish();
    if (first) yield decoder.decode(first);
  } finally {
    await file.close();
  }
}

export class FileAuditLog implements AuditLog {
  readonly #dataDir: string;
  readonly #now: () => Date;
  readonly #maxFileBytes: number;
  readonly #keepRotated: number;
  /** Lines per file, newest file first: index 0 is audit.jsonl, index n is audit.jsonl.n. */
  readonly #lineCounts: number[];
  #currentBytes: number;
  #writes: Promise<void> = Promise.resolve();

  private constructor(options: AuditLogOptions, lineCounts: number[], currentBytes: number) {
    this.#dataDir = options.dataDir;
    this.#now = options.now;
    this.#maxFileBytes = options.maxFileBytes ?? AUDIT_MAX_FILE_BYTES;
    this.#keepRotated = options.keepRotated ?? AUDIT_KEEP_ROTATED;
    this.#lineCounts = lineCounts;
    this.#currentBytes = currentBytes;
  }

  static async open(options: AuditLogOptions): Promise<FileAuditLog> {
    const keep = options.keepRotated ?? AUDIT_KEEP_ROTATED;
    const paths = Array.from({ length: keep + 1 }, (_, generation) => fileOf(options.dataDir, generation));
    const lineCounts = await Promise.all(paths.map(countLines));
    return new FileAuditLog(options, lineCounts, await sizeOf(paths[0] as string));
  }

  append(entry: NewAuditEntry): Promise<AuditEntry> {
    const full: AuditEntry = { id: newRecordId('a'), at: this.#now().toISOString(), ...capAuditEntry(entry) };
    const line = `${JSON.stringify(full)}\n`;
    const write = this.#writes.then(async () => {
      const bytes = Buffer.byteLength(line);
      if (this.#currentBytes > 0 && this.#currentBytes + bytes > this.#maxFileBytes) await this.#rotate();
      await appendFileDurably(fileOf(this.#dataDir, 0), line);
      this.#currentBytes += bytes;
      this.#lineCounts[0] = (this.#lineCounts[0] ?? 0) + 1;
    });
    this.#writes = write.catch(() => undefined);
    return write.then(() => full);
  }

  async list(options: { limit: number; offset: number }): Promise<{ entries: AuditEntry[]; total: number }> {
    await this.#writes;
    const total = this.#lineCounts.reduce((sum, count) => sum + count, 0);
    const entries: AuditEntry[] = [];
    let toSkip = options.offset;
    for (let generation = 0; generation <= this.#keepRotated && entries.length < options.limit; generation += 1) {
      // Whole files before the page are skipped by their count, without reading them.
      const count = this.#lineCounts[generation] ?? 0;
      if (toSkip >= count) {
        toSkip -= count;
        continue;
      }
      for await (const line of linesFromEnd(fileOf(this.#dataDir, generation))) {
        if (toSkip > 0) {
          toSkip -= 1;
          continue;
        }
        const entry = parseEntry(line);
        if (entry) entries.push(entry);
        if (entries.length >= options.limit) break;
      }
    }
    return { entries, total };
  }

  /** Resolves once every append begun so far is on disk. */
  async settled(): Promise<void> {
    await this.#writes;
  }

  async #rotate(): Promise<void> {
    await rm(fileOf(this.#dataDir, this.#keepRotated), { force: true });
    for (let generation = this.#keepRotated - 1; generation >= 0; generation -= 1) {
      try {
        await rename(fileOf(this.#dataDir, generation), fileOf(this.#dataDir, generation + 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    fsyncDirectory(this.#dataDir);
    this.#lineCounts.pop();
    this.#lineCounts.unshift(0);
    this.#currentBytes = 0;
  }
}

function fileOf(dataDir: string, generation: number): string {
  return join(dataDir, generation === 0 ? AUDIT_FILE : `${AUDIT_FILE}.${generation}`);
}

function parseEntry(line: string): AuditEntry | null {
  try {
    return JSON.parse(line) as AuditEntry;
  } catch {
    return null;
  }
}
