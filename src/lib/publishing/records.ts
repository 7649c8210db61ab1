/**
 * How the stores keep a publication record, written once for both: the record a create makes, the
 * record a save makes (version check, version bump, fields a save may not change), when an approved
 * draft is due, where a draft stands in the review queue, and the one order of the staff lists. The stores only persist what these return.
 */
import { assertCurrentVersion } from '~/lib/admin/versioning';
import { publicState, type NewPublication, type Publication } from './model';

/** Thrown by a save that would give a publication the slug another one of its kind already has. */
export class PublicationSlugTakenError extends Error {
  constructor(
    readonly kind: string,
    readonly slug: string,
  ) {
    super(`${kind}/${slug} 已被占用`);
    this.name = 'PublicationSlugTakenError';
  }
}

/** The slug-uniqueness key: slugs are unique per kind. */
export function slugKey(publication: Pick<Publication, 'kind' | 'slug'>): string {
  return `${publication.kind}/${publication.slug}`;
}

export function createdPublication(input: NewPublication, id: string, now: Date): Publication {
  const at = now.toISOString();
  return { ...structuredClone(input), id, createdAt: at, updatedAt: at, version: 1 };
}

/**
 * The record `save` stores: `next` as the caller made it, with what only the store decides (id,
 * kind, creation, `updatedAt`, the next version) taken from `current` and the clock. Throws
 * RecordNotFoundError or VersionConflictError when `current` is missing or has moved on.
 */
export function savedPublication(
  current: Publication | null | undefined,
  next: Publication,
  expectedVersion: number,
  now: Date,
): Publication {
  assertCurrentVersion(current, expectedVersion, `publication/${next.id}`);
  const stored = current as Publication;
  return {
    ...structuredClone(next),
    id: stored.id,
    kind: stored.kind,
    createdAt: stored.createdAt,
    createdBy: stored.createdBy,
    updatedAt: now.toISOString(),
    version: stored.version + 1,
  };
}

/** Whether the public sees the item (published or withdrawn): what `listPublic` returns. */
export function hasPublicFace(publication: Publication): boolean {
  return publicState(publication) !== 'unpublished';
}

/**
 * The instant (ISO, UTC) from which an approved draft is due to go public, or null when it is not
 * approved. An approved draft without a time ("at approval") is due from its last change, so one
 * that was not published at once (a crash between approval and publication) is picked up.
 */
export function publicationDueAt(publication: Publication): string | null {
  const draft = publication.draft;
  if (!draft || draft.stage !== 'scheduled') return null;
  return new Date(draft.scheduledFor ?? publication.updatedAt).toISOString();
}

/** Due at `now` (ISO with any offset): the instants are compared, not the strings. */
export function isDue(publication: Publication, now: string): boolean {
  const dueAt = publicationDueAt(publication);
  return dueAt !== null && Date.parse(dueAt) <= Date.parse(now);
}

/** The review queue's two lists: drafts waiting for a second person, and approved ones waiting for their time. */
export const REVIEW_QUEUE_STAGES = ['in_review', 'scheduled'] as const;
export type ReviewQueueStage = (typeof REVIEW_QUEUE_STAGES)[number];

/**
 * The instant (ISO, UTC) that orders a draft in its review-queue list, or null when it is not in
 * that list: an in-review draft by when it was submitted (its last change if that was not kept), a
 * scheduled one by when it is due. Oldest first, so what has waited longest is seen first.
 */
export function reviewQueueAt(publication: Publication, stage: ReviewQueueStage): string | null {
  if (stage === 'scheduled') return publicationDueAt(publication);
  const draft = publication.draft;
  if (!draft || draft.stage !== 'in_review') return null;
  return new Date(draft.submittedAt ?? publication.updatedAt).toISOString();
}

/** The review queue's order: the earliest instant first (then by id, so equal times keep one order). */
export function reviewQueueOrder(a: { at: string; id: string }, b: { at: string; id: string }): number {
  const byTime = Date.parse(a.at) - Date.parse(b.at);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The staff lists' order, newest change first (then by id, so equal times keep one order). */
export function newestChangeFirst(
  a: Pick<Publication, 'updatedAt' | 'id'>,
  b: Pick<Publication, 'updatedAt' | 'id'>,
): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
