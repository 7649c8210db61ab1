/**
 * Spreadsheets read but not yet saved, while staff choose what their unrecognised columns hold: a
 * file input cannot be filled in again by the server, so the mapping form names the upload kept here
 * instead of asking for the file a second time. Nothing here is part of any draft: a table reaches
 * the draft only once it reads without a problem. Kept in this process's memory, few and briefly
 * (a lost one — expired, evicted, or on another instance — just asks for the file again).
 */
import { randomBytes } from 'node:crypto';
import type { SpreadsheetTable } from '~/lib/publishing/spreadsheet/table';
import { now } from '~/server/clock';

export interface PendingUpload {
  id: string;
  /** Only the staff member who uploaded it may use it, only for the draft it was uploaded to. */
  owner: string;
  publicationId: string;
  fileName: string;
  table: SpreadsheetTable;
  at: number;
}

/** Tables waiting for a mapping at once (each at most the reader's row and cell limits). */
const MAX_PENDING = 8;
const LIFETIME_MS = 30 * 60 * 1000;

const pending = new Map<string, PendingUpload>();

function dropExpired(at: number): void {
  for (const [id, upload] of pending) if (at - upload.at > LIFETIME_MS) pending.delete(id);
}

export function keepPendingUpload(upload: Omit<PendingUpload, 'id' | 'at'>): PendingUpload {
  const at = now().getTime();
  dropExpired(at);
  // Maps iterate in insertion order: the first key is the oldest upload.
  while (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
  const kept = { ...upload, id: randomBytes(12).toString('base64url'), at };
  pending.set(kept.id, kept);
  return kept;
}

export function pendingUpload(id: string, owner: string, publicationId: string): PendingUpload | null {
  dropExpired(now().getTime());
  const upload = pending.get(id);
  return upload && upload.owner === owner && upload.publicationId === publicationId ? upload : null;
}

export function forgetPendingUpload(id: string): void {
  pending.delete(id);
}
