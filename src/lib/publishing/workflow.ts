/**
 * How a publication moves, as pure functions over the record (lib/publishing/model):
 *
 *   new draft → edit → 提交审核 (in_review) → 审核通过 + 签发 now (published, revision n)
 *                                            → 审核通过 + 定时发布 (scheduled) → published at its time
 *   in_review / scheduled → 退回 with a reason → editing
 *   published → 更正 (a new draft from the latest revision, with a 更正说明) → … → revision n+1
 *   published → 撤回 with a public reason (withdrawn, final)
 *
 * Every step checks the actor's rights and the review policy (PUBLISH_REVIEW): in two-person mode
 * nobody approves a draft they prepared. Each function returns the next record, or a refusal with
 * a machine code and a Chinese sentence; the caller saves it with the version it read.
 */
import { z } from 'zod';
import type { FieldError } from '~/lib/admin/forms';
import { ADMIN_MESSAGES, type AdminErrorCode } from '~/lib/admin/messages';
import type { StaffRole } from '~/lib/admin/types';
import { announcementSchema, explanationSchema, recallSchema } from '~/lib/content-schemas';
import { slugify, uniqueSlug } from '~/lib/text/slug';
import { beijingIsoDay } from '~/lib/time/beijing';
import { composeCorrectionNote, correctionChanges, sameContent } from './changes';
import type {
  ApiTokenScope,
  AttachmentRef,
  ContentOfKind,
  NewPublication,
  Publication,
  PublicationDraft,
  PublicationKind,
} from './model';

export const REVIEW_POLICIES = ['two-person', 'single'] as const;
/** `two-person`: one prepares, another approves. `single`: small offices may approve their own drafts. */
export type ReviewPolicy = (typeof REVIEW_POLICIES)[number];

/** `draft`: create, edit, submit and correct. `approve`: 审核, 签发, 定时发布, 退回, 撤回. */
export type PublishingRight = 'draft' | 'approve';

export interface WorkflowActor {
  /** Username, or `token:<name>` for a machine client: what preparedBy/approvedBy record. */
  name: string;
  rights: readonly PublishingRight[];
}

export interface WorkflowContext {
  now: Date;
  policy: ReviewPolicy;
}

export const PUBLISHING_RIGHTS_OF_ROLE: Record<StaffRole, readonly PublishingRight[]> = {
  editor: ['draft'],
  reviewer: ['draft', 'approve'],
  admin: ['draft', 'approve'],
};

/**
 * A token creates drafts with `drafts:create`; with `publish` it approves only where review is
 * single-person, since a machine is never the second person of a two-person review.
 */
export function publishingRightsOfToken(scopes: readonly ApiTokenScope[], policy: ReviewPolicy): PublishingRight[] {
  const rights: PublishingRight[] = [];
  if (scopes.includes('drafts:create')) rights.push('draft');
  if (scopes.includes('publish') && policy === 'single') rights.push('approve');
  return rights;
}

/** The refusals a step can give; their sentences and HTTP statuses are the admin's (lib/admin/messages). */
export type WorkflowErrorCode = Extract<
  AdminErrorCode,
  | 'FORBIDDEN'
  | 'SELF_APPROVAL'
  | 'WRONG_STAGE'
  | 'CORRECTION_NOTE_REQUIRED'
  | 'NO_CHANGE'
  | 'SCHEDULE_INVALID'
  | 'REASON_REQUIRED'
  | 'WITHDRAWN'
  | 'VALIDATION_FAILED'
>;

export interface WorkflowRefusal {
  ok: false;
  code: WorkflowErrorCode;
  message: string;
  /** Field errors of the content or of the form (reason, note, time), by field path. */
  errors: FieldError[];
}

/** What the caller writes to the audit log for a step. */
export type WorkflowAction =
  | 'create'
  | 'edit'
  | 'submit'
  | 'approve'
  | 'schedule'
  | 'publish'
  | 'return'
  | 'correct'
  | 'discard'
  | 'withdraw'
  | 'attach';

export type WorkflowStep =
  | {
      ok: true;
      next: Publication;
      /** Whether the public face changed (a revision was published, or the item withdrawn). */
      publicChange: boolean;
      action: WorkflowAction;
      detail: string | null;
    }
  | WorkflowRefusal;

function refuse(code: WorkflowErrorCode, message: string = ADMIN_MESSAGES[code], errors: FieldError[] = []) {
  return { ok: false, code, message, errors } as const satisfies WorkflowRefusal;
}

function lacks(actor: WorkflowActor, right: PublishingRight): boolean {
  return !actor.rights.includes(right);
}

/** Zod's own Chinese wording for checks that carry no message of the schema's. */
const chineseFallback = z.locales.zhCN().localeError;

const CONTENT_SCHEMAS = {
  announcements: announcementSchema,
  explanations: explanationSchema,
  recalls: recallSchema,
} as const satisfies { [K in PublicationKind]: z.ZodType<ContentOfKind[K]> };

/** Kinds whose content records the portal's own first day of publication. */
function hasFirstPublishedAt(kind: PublicationKind): kind is 'announcements' | 'recalls' {
  return kind !== 'explanations';
}

/** Field errors by dotted path (`batches.failed`, `failedProducts.3.productName`), one per field. */
function contentErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || 'form';
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: issue.message });
  }
  return errors;
}

/**
 * The content of a draft, checked against the kind's `content/` schema. `firstPublishedAt` is the
 * portal's, not the form's: it is kept from the record (or, before the first publication, today)
 * and fixed for good when the first revision is published.
 */
export function parseContent<K extends PublicationKind>(
  kind: K,
  input: unknown,
  firstPublishedAt: string,
): { ok: true; data: ContentOfKind[K] } | WorkflowRefusal {
  const object = input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {};
  const withPortalFields = hasFirstPublishedAt(kind) ? { ...object, firstPublishedAt } : object;
  const result = (CONTENT_SCHEMAS[kind] as unknown as z.ZodType<ContentOfKind[K]>).safeParse(withPortalFields, {
    error: chineseFallback,
  });
  if (result.success) return { ok: true, data: result.data };
  return refuse('VALIDATION_FAILED', ADMIN_MESSAGES.VALIDATION_FAILED, contentErrors(result.error.issues));
}

/** The slug's base as the sample content's slugs are made (scripts/convert-shared-data.ts). */
export function slugBase<K extends PublicationKind>(kind: K, data: ContentOfKind[K]): string {
  if (kind === 'announcements') {
    const a = data as ContentOfKind['announcements'];
    return slugify(`${a.date.year ?? 'nd'} ${a.region} ${a.category}`, 44);
  }
  if (kind === 'recalls') {
    const r = data as ContentOfKind['recalls'];
    const productShort = r.product.split(/[（(，,；;]/)[0]!.trim();
    return slugify(`${r.date.year ?? 'nd'} ${r.company} ${productShort}`, 44);
  }
  const e = data as ContentOfKind['explanations'];
  return slugify(`${e.aliases[0] ?? e.testItem} ${e.category}`, 40);
}

/** The first free slug for this content, given the slugs the kind already has (sample content and store). */
export function chooseSlug<K extends PublicationKind>(
  kind: K,
  data: ContentOfKind[K],
  taken: ReadonlySet<string>,
): string {
  return uniqueSlug(slugBase(kind, data), new Set(taken));
}

/** A new item's record (its draft in editing), or a refusal. The store gives it an id and version. */
export function newPublication<K extends PublicationKind>(
  kind: K,
  input: unknown,
  actor: WorkflowActor,
  context: WorkflowContext,
  takenSlugs: ReadonlySet<string>,
): { ok: true; publication: NewPublication<K> } | WorkflowRefusal {
  if (lacks(actor, 'draft')) return refuse('FORBIDDEN');
  const parsed = parseContent(kind, input, beijingIsoDay(context.now));
  if (!parsed.ok) return parsed;
  const at = context.now.toISOString();
  return {
    ok: true,
    publication: {
      kind,
      slug: chooseSlug(kind, parsed.data, takenSlugs),
      revisions: [],
      draft: freshDraft(parsed.data, actor, at),
      withdrawal: null,
      attachments: [],
      createdBy: actor.name,
    },
  };
}

function freshDraft<K extends PublicationKind>(data: ContentOfKind[K], actor: WorkflowActor, at: string) {
  return {
    data,
    stage: 'editing',
    correctionNote: null,
    preparedBy: actor.name,
    updatedAt: at,
    submittedAt: null,
    approvedBy: null,
    scheduledFor: null,
    returnedReason: null,
  } satisfies PublicationDraft<K>;
}

const NOTE_MAX = 500;

function cleanText(text: string | null | undefined): string {
  return (text ?? '').trim();
}

/** A reason or note that must be given: trimmed, 1–500 characters. */
function requiredText(
  text: string | null | undefined,
  field: string,
  code: WorkflowErrorCode,
  emptyMessage: string,
): { ok: true; text: string } | WorkflowRefusal {
  const cleaned = cleanText(text);
  if (!cleaned) return refuse(code, emptyMessage, [{ field, message: emptyMessage }]);
  if ([...cleaned].length > NOTE_MAX) {
    const message = `不能超过 ${NOTE_MAX} 个字。`;
    return refuse('VALIDATION_FAILED', message, [{ field, message }]);
  }
  return { ok: true, text: cleaned };
}

function withDraft(publication: Publication, draft: PublicationDraft, context: WorkflowContext): Publication {
  return { ...publication, draft: { ...draft, updatedAt: context.now.toISOString() } };
}

/** Refusals every change of a working copy shares: withdrawn, no draft, not in the expected stage. */
function draftInStage(
  publication: Publication,
  stages: readonly PublicationDraft['stage'][],
): { ok: true; draft: PublicationDraft } | WorkflowRefusal {
  if (publication.withdrawal) return refuse('WITHDRAWN');
  if (!publication.draft || !stages.includes(publication.draft.stage)) return refuse('WRONG_STAGE');
  return { ok: true, draft: publication.draft };
}

export interface DraftEdit {
  data: unknown;
  /** 更正说明; only a correction has one. */
  correctionNote?: string | null;
}

/** Saves new content into a draft being written; whoever edits it becomes its preparer. */
export function editDraft(
  publication: Publication,
  edit: DraftEdit,
  actor: WorkflowActor,
  context: WorkflowContext,
): WorkflowStep {
  if (lacks(actor, 'draft')) return refuse('FORBIDDEN');
  const current = draftInStage(publication, ['editing']);
  if (!current.ok) return current;
  const firstPublishedAt = hasFirstPublishedAt(publication.kind)
    ? (current.draft.data as ContentOfKind['announcements' | 'recalls']).firstPublishedAt
    : '';
  const parsed = parseContent(publication.kind, edit.data, firstPublishedAt);
  if (!parsed.ok) return parsed;
  const isCorrection = publication.revisions.length > 0;
  const note = cleanText(edit.correctionNote);
  if ([...note].length > NOTE_MAX) {
    const message = `更正说明不能超过 ${NOTE_MAX} 个字。`;
    return refuse('VALIDATION_FAILED', message, [{ field: 'correctionNote', message }]);
  }
  const draft: PublicationDraft = {
    ...current.draft,
    data: parsed.data,
    correctionNote: isCorrection ? note || null : null,
    preparedBy: actor.name,
  };
  return { ok: true, next: withDraft(publication, draft, context), publicChange: false, action: 'edit', detail: null };
}

/** The changes a correction draft makes to the latest published revision (empty for a new item). */
export function pendingCorrectionChanges(publication: Publication): string[] {
  const latest = publication.revisions.at(-1);
  if (!latest || !publication.draft) return [];
  return correctionChanges(publication.kind, latest.data, publication.draft.data);
}

/** A correction may go to review only with a note and with something actually changed. */
function readyForReview(publication: Publication, draft: PublicationDraft): { ok: true } | WorkflowRefusal {
  const latest = publication.revisions.at(-1);
  if (!latest) return { ok: true };
  if (sameContent(latest.data, draft.data)) return refuse('NO_CHANGE');
  if (!draft.correctionNote) {
    const changes = correctionChanges(publication.kind, latest.data, draft.data);
    const message =
      changes.length > 0
        ? `${ADMIN_MESSAGES.CORRECTION_NOTE_REQUIRED}本次更正改动了：${changes.slice(0, 5).join('；')}${changes.length > 5 ? ' 等' : ''}。`
        : ADMIN_MESSAGES.CORRECTION_NOTE_REQUIRED;
    return refuse('CORRECTION_NOTE_REQUIRED', message, [{ field: 'correctionNote', message }]);
  }
  return { ok: true };
}

/** 提交审核. */
export function submitForReview(
  publication: Publication,
  actor: WorkflowActor,
  context: WorkflowContext,
): WorkflowStep {
  if (lacks(actor, 'draft')) return refuse('FORBIDDEN');
  const current = draftInStage(publication, ['editing']);
  if (!current.ok) return current;
  const ready = readyForReview(publication, current.draft);
  if (!ready.ok) return ready;
  const draft: PublicationDraft = {
    ...current.draft,
    stage: 'in_review',
    submittedAt: context.now.toISOString(),
    returnedReason: null,
  };
  return {
    ok: true,
    next: withDraft(publication, draft, context),
    publicChange: false,
    action: 'submit',
    detail: null,
  };
}

/** How far ahead a publication may be scheduled. */
export const SCHEDULE_HORIZON_DAYS = 180;

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The scheduled instant as ISO, if it is an instant with an offset, in the future and within the horizon. */
export function checkSchedule(scheduledFor: string, now: Date): { ok: true; at: string } | WorkflowRefusal {
  const fail = (message: string) => refuse('SCHEDULE_INVALID', message, [{ field: 'scheduledFor', message }]);
  const instant = new Date(scheduledFor);
  if (!ISO_WITH_OFFSET.test(scheduledFor) || Number.isNaN(instant.getTime())) {
    return fail('定时发布时间不是有效的时间，请重新选择日期和时刻。');
  }
  if (instant.getTime() <= now.getTime())
    return fail('定时发布时间必须晚于现在；要立即发布请选择「审核通过并立即发布」。');
  if (instant.getTime() > now.getTime() + SCHEDULE_HORIZON_DAYS * 86_400_000) {
    return fail(`定时发布时间不能晚于 ${SCHEDULE_HORIZON_DAYS} 天之后。`);
  }
  return { ok: true, at: instant.toISOString() };
}

/** The draft becomes the next published revision; firstPublishedAt is fixed by the first one. */
function publishDraft(publication: Publication, draft: PublicationDraft, approvedBy: string | null, now: Date) {
  const first = publication.revisions[0];
  const publishedAt = now.toISOString();
  let data = draft.data;
  if (hasFirstPublishedAt(publication.kind)) {
    const firstDay = first
      ? (first.data as ContentOfKind['announcements' | 'recalls']).firstPublishedAt
      : beijingIsoDay(now);
    data = { ...(data as ContentOfKind['announcements' | 'recalls']), firstPublishedAt: firstDay };
  }
  const latest = publication.revisions.at(-1);
  const correctionNote =
    latest && draft.correctionNote
      ? composeCorrectionNote(draft.correctionNote, correctionChanges(publication.kind, latest.data, data))
      : null;
  const number = publication.revisions.length + 1;
  const next: Publication = {
    ...publication,
    revisions: [
      ...publication.revisions,
      { number, data, publishedAt, preparedBy: draft.preparedBy, approvedBy, correctionNote },
    ],
    draft: null,
  };
  return { ok: true, next, publicChange: true, action: 'publish', detail: `第 ${number} 版` } as const;
}

export interface Approval {
  /** ISO instant with offset for 定时发布; null or absent: publish now (签发). */
  scheduledFor?: string | null;
}

/**
 * 审核通过: publishes now or schedules. Two-person review needs a submitted draft and an approver
 * who did not prepare it; single-person review may approve a draft straight from editing.
 */
export function approve(
  publication: Publication,
  approval: Approval,
  actor: WorkflowActor,
  context: WorkflowContext,
): WorkflowStep {
  if (lacks(actor, 'approve')) return refuse('FORBIDDEN');
  const stages: PublicationDraft['stage'][] = context.policy === 'single' ? ['editing', 'in_review'] : ['in_review'];
  const current = draftInStage(publication, stages);
  if (!current.ok) return current;
  const own = current.draft.preparedBy === actor.name;
  if (own && context.policy === 'two-person') return refuse('SELF_APPROVAL');
  const ready = readyForReview(publication, current.draft);
  if (!ready.ok) return ready;
  const approvedBy = own ? null : actor.name;
  if (approval.scheduledFor) {
    const schedule = checkSchedule(approval.scheduledFor, context.now);
    if (!schedule.ok) return schedule;
    const draft: PublicationDraft = {
      ...current.draft,
      stage: 'scheduled',
      submittedAt: current.draft.submittedAt ?? context.now.toISOString(),
      approvedBy,
      scheduledFor: schedule.at,
      returnedReason: null,
    };
    return {
      ok: true,
      next: withDraft(publication, draft, context),
      publicChange: false,
      action: 'schedule',
      detail: `定时 ${schedule.at}`,
    };
  }
  return { ...publishDraft(publication, current.draft, approvedBy, context.now), action: 'approve' };
}

/** The scheduler's step: an approved draft whose time has come is published. */
export function publishWhenDue(publication: Publication, context: Pick<WorkflowContext, 'now'>): WorkflowStep {
  const current = draftInStage(publication, ['scheduled']);
  if (!current.ok) return current;
  const { scheduledFor } = current.draft;
  if (!scheduledFor || new Date(scheduledFor).getTime() > context.now.getTime()) return refuse('WRONG_STAGE');
  return publishDraft(publication, current.draft, current.draft.approvedBy, context.now);
}

/**
 * 退回: a submitted or scheduled draft goes back to editing with the reason for its preparer. A
 * reviewer may return any; the preparer may take back their own submission.
 */
export function returnToEditing(
  publication: Publication,
  reason: string,
  actor: WorkflowActor,
  context: WorkflowContext,
): WorkflowStep {
  if (lacks(actor, 'approve') && lacks(actor, 'draft')) return refuse('FORBIDDEN');
  const current = draftInStage(publication, ['in_review', 'scheduled']);
  if (!current.ok) return current;
  const ownSubmission = current.draft.preparedBy === actor.name && current.draft.stage === 'in_review';
  if (lacks(actor, 'approve') && !ownSubmission) return refuse('FORBIDDEN');
  const given = requiredText(reason, 'reason', 'REASON_REQUIRED', '请填写退回原因，告诉编写人需要修改什么。');
  if (!given.ok) return given;
  const draft: PublicationDraft = {
    ...current.draft,
    stage: 'editing',
    submittedAt: null,
    approvedBy: null,
    scheduledFor: null,
    returnedReason: given.text,
  };
  return {
    ok: true,
    next: withDraft(publication, draft, context),
    publicChange: false,
    action: 'return',
    detail: given.text,
  };
}

/** 更正: a new working copy of the latest revision; the public page is unchanged until it is approved. */
export function startCorrection(
  publication: Publication,
  actor: WorkflowActor,
  context: WorkflowContext,
): WorkflowStep {
  if (lacks(actor, 'draft')) return refuse('FORBIDDEN');
  if (publication.withdrawal) return refuse('WITHDRAWN');
  const latest = publication.revisions.at(-1);
  if (!latest || publication.draft) return refuse('WRONG_STAGE');
  const next: Publication = { ...publication, draft: freshDraft(latest.data, actor, context.now.toISOString()) };
  return { ok: true, next, publicChange: false, action: 'correct', detail: `基于第 ${latest.number} 版` };
}

/** Drops a correction that is still being written; the published revision stays as it is. */
export function discardCorrection(publication: Publication, actor: WorkflowActor): WorkflowStep {
  if (lacks(actor, 'draft')) return refuse('FORBIDDEN');
  const current = draftInStage(publication, ['editing']);
  if (!current.ok) return current;
  if (publication.revisions.length === 0) return refuse('WRONG_STAGE');
  return { ok: true, next: { ...publication, draft: null }, publicChange: false, action: 'discard', detail: null };
}

/** 撤回: the public page then shows only the reason; a pending correction is dropped with it. */
export function withdraw(
  publication: Publication,
  reason: string,
  actor: WorkflowActor,
  context: WorkflowContext,
): WorkflowStep {
  if (lacks(actor, 'approve')) return refuse('FORBIDDEN');
  if (publication.withdrawal) return refuse('WITHDRAWN');
  if (publication.revisions.length === 0) return refuse('WRONG_STAGE');
  const given = requiredText(reason, 'reason', 'REASON_REQUIRED', '请填写撤回原因，它会显示在公开页面上。');
  if (!given.ok) return given;
  const next: Publication = {
    ...publication,
    draft: null,
    withdrawal: { reason: given.text, at: context.now.toISOString(), by: actor.name },
  };
  return { ok: true, next, publicChange: true, action: 'withdraw', detail: given.text };
}

/** Attachments per publication. */
export const ATTACHMENTS_MAX = 10;

/**
 * Why this actor may not attach a document to this item, or null. On an item the public already
 * sees the document shows at once, so that takes the right to publish; before that, to draft.
 */
export function attachmentRefusal(publication: Publication, actor: WorkflowActor): WorkflowRefusal | null {
  if (publication.withdrawal) return refuse('WITHDRAWN');
  if (lacks(actor, publication.revisions.length > 0 ? 'approve' : 'draft')) return refuse('FORBIDDEN');
  if (publication.attachments.length >= ATTACHMENTS_MAX) {
    const message = `每条内容最多 ${ATTACHMENTS_MAX} 个附件。`;
    return refuse('VALIDATION_FAILED', message, [{ field: 'file', message }]);
  }
  return null;
}

/** Adds an uploaded document (see attachmentRefusal for who may). */
export function addAttachment(publication: Publication, ref: AttachmentRef, actor: WorkflowActor): WorkflowStep {
  const refusal = attachmentRefusal(publication, actor);
  if (refusal) return refusal;
  return {
    ok: true,
    next: { ...publication, attachments: [...publication.attachments, ref] },
    publicChange: publication.revisions.length > 0,
    action: 'attach',
    detail: ref.fileName,
  };
}

/** 草稿/待审核/已定时/已发布/已撤回, for the staff lists (a published item with a correction draft says so). */
export function statusLabel(publication: Publication): string {
  if (publication.withdrawal) return '已撤回';
  const stage = publication.draft?.stage;
  const published = publication.revisions.length > 0;
  const draftLabel = stage === 'in_review' ? '待审核' : stage === 'scheduled' ? '已定时' : '草稿';
  if (!published) return draftLabel;
  return stage ? `已发布（更正${draftLabel}）` : '已发布';
}
