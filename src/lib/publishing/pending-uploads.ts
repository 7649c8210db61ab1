/**
 * Spreadsheets read but not yet saved, while staff choose what their unrecognised columns hold: a
 * file input cannot be filled in again by the server, so the mapping form names the kept upload
 * instead of asking for the file a second time. Kept in the store (any instance of the portal may
 * take the mapping form, and a restart keeps it), and bounded: each file at most the upload limit,
 * each kept 30 minutes, each staff member at most a few at a time (a new one displaces their oldest).
 * Nothing here is part of any draft: a table reaches the draft only once it reads without a problem.
 */
import { ATTACHMENT_MAX_BYTES } from './attachments';

export const PENDING_UPLOAD_LIMITS = {
  /** The largest file the upload form takes. */
  maxBytes: ATTACHMENT_MAX_BYTES,
  lifetimeMs: 30 * 60 * 1000,
  /** Uploads one staff member has waiting at once (one per open draft tab is plenty). */
  perOwner: 3,
} as const;

export interface PendingUpload {
  id: string;
  /** Only the staff member who uploaded it may use it, only for the draft it was uploaded to. */
  owner: string;
  publicationId: string;
  fileName: string;
  bytes: number;
  /** ISO instants (UTC). */
  createdAt: string;
  expiresAt: string;
}

export type NewPendingUpload = Pick<PendingUpload, 'owner' | 'publicationId' | 'fileName'>;

/** The record a store keeps for `content`; throws for a file over the limit (the upload route refuses it first). */
export function pendingUploadRecord(input: NewPendingUpload, content: Buffer, id: string, now: Date): PendingUpload {
  if (content.length > PENDING_UPLOAD_LIMITS.maxBytes) {
    throw new Error(`待选择列对应的表格 ${input.fileName} 超过 ${PENDING_UPLOAD_LIMITS.maxBytes} 字节`);
  }
  return {
    id,
    owner: input.owner,
    publicationId: input.publicationId,
    fileName: input.fileName,
    bytes: content.length,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + PENDING_UPLOAD_LIMITS.lifetimeMs).toISOString(),
  };
}

/** Expired from `expiresAt` on: the instants are compared. */
export function isPendingUploadExpired(upload: Pick<PendingUpload, 'expiresAt'>, now: Date): boolean {
  return Date.parse(upload.expiresAt) <= now.getTime();
}

/**
 * Which of one owner's kept uploads a new one displaces so that, with it, they keep at most
 * `perOwner`: the oldest first (then by id, so equal times give one answer).
 */
export function displacedPendingUploads(kept: readonly Pick<PendingUpload, 'id' | 'createdAt'>[]): string[] {
  const newestFirst = [...kept].sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
  return newestFirst.slice(PENDING_UPLOAD_LIMITS.perOwner - 1).map((upload) => upload.id);
}

/** The upload is for this staff member and this draft (anyone else's id finds nothing). */
export function isPendingUploadFor(upload: PendingUpload, owner: string, publicationId: string): boolean {
  return upload.owner === owner && upload.publicationId === publicationId;
}
