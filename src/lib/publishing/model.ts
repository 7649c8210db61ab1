/**
 * What staff publish from the admin (抽查结果公告, 不合格项目解读, 召回) as it crosses the storage
 * contract. The content itself has exactly the shape of a file in `content/` (lib/content-schemas),
 * so a published item can always be exported back to files and the sample content and the store's
 * content are read by the public site alike.
 *
 * A publication has a public face (its published revisions, or its withdrawal) and at most one
 * working copy (`draft`): a new item before its first publication, or a correction of a published
 * one. Rules on how a publication moves (who may approve, when a correction must say what changed)
 * live in lib/publishing; the stores only keep the record and its version.
 */
import type { Announcement, Explanation, Recall } from '~/lib/content-schemas';

export const PUBLICATION_KINDS = ['announcements', 'explanations', 'recalls'] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

export const PUBLICATION_KIND_LABELS: Record<PublicationKind, string> = {
  announcements: '抽查结果公告',
  explanations: '不合格项目解读',
  recalls: '召回',
};

/** The content of each kind, in the `content/` file format. */
export interface ContentOfKind {
  announcements: Announcement;
  explanations: Explanation;
  recalls: Recall;
}

/**
 * Where the working copy stands: being written, waiting for a second person (审核), or approved
 * and waiting for its time (定时发布).
 */
export const DRAFT_STAGES = ['editing', 'in_review', 'scheduled'] as const;
export type DraftStage = (typeof DRAFT_STAGES)[number];

export interface PublicationDraft<K extends PublicationKind = PublicationKind> {
  data: ContentOfKind[K];
  stage: DraftStage;
  /** 更正说明: required when the draft corrects a published revision. */
  correctionNote: string | null;
  /** Username of the staff member (or `token:<name>`) who prepared the draft. */
  preparedBy: string;
  updatedAt: string;
  submittedAt: string | null;
  approvedBy: string | null;
  /** When an approved draft goes public (ISO with offset); null means "at approval". */
  scheduledFor: string | null;
  /** Why the reviewer sent the draft back (退回), shown to its preparer until it is submitted again. */
  returnedReason: string | null;
}

/** One published state. Every correction adds one; earlier revisions stay readable. */
export interface PublicationRevision<K extends PublicationKind = PublicationKind> {
  /** 1 for the first publication, then 2, 3, … */
  number: number;
  data: ContentOfKind[K];
  publishedAt: string;
  preparedBy: string;
  /** Null when review was single-person (PUBLISH_REVIEW=single). */
  approvedBy: string | null;
  /** 更正说明; null on the first revision. */
  correctionNote: string | null;
}

export interface PublicationWithdrawal {
  /** 撤回原因, shown to the public. */
  reason: string;
  at: string;
  by: string;
}

/** An uploaded original document (PDF, Word, Excel), served to the public only as a download. */
export interface AttachmentRef {
  id: string;
  /** The file name as uploaded, cleaned for a Content-Disposition header. */
  fileName: string;
  /** The type found from the file's own bytes, not from its name or the browser's claim. */
  mediaType: string;
  bytes: number;
  sha256: string;
  uploadedAt: string;
  uploadedBy: string;
}

export interface Publication<K extends PublicationKind = PublicationKind> {
  id: string;
  kind: K;
  /** The public address part (`/announcements/<slug>/`), unique per kind across store and sample content. */
  slug: string;
  /** Published revisions, oldest first; empty until the first publication. */
  revisions: PublicationRevision<K>[];
  draft: PublicationDraft<K> | null;
  /** Set when the item was withdrawn (撤回): its page then shows only the reason. */
  withdrawal: PublicationWithdrawal | null;
  attachments: AttachmentRef[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

export type NewPublication<K extends PublicationKind = PublicationKind> = Omit<
  Publication<K>,
  'id' | 'version' | 'createdAt' | 'updatedAt'
>;

/** Whether the public sees the item: published (its latest revision), withdrawn, or not yet. */
export function publicState(publication: Publication): 'unpublished' | 'published' | 'withdrawn' {
  if (publication.withdrawal) return 'withdrawn';
  return publication.revisions.length > 0 ? 'published' : 'unpublished';
}

export const API_TOKEN_SCOPES = ['drafts:create', 'publish'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** A machine client's credential (the bureau's supervision system). The token itself is shown once. */
export interface ApiToken {
  id: string;
  name: string;
  scopes: ApiTokenScope[];
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
