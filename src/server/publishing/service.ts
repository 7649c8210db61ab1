/**
 * The publishing commands staff pages and the machine API call (one set for all three kinds). Each
 * command loads the record, applies the pure rule of lib/publishing/workflow, saves with the version
 * it read (`publicChange` when the public face changes), writes the audit log and answers with a
 * machine code. A save the store cannot make durable (StoreUnavailableError) changes nothing: the
 * public site stays as it was and the draft is still there as it was last saved.
 */
import { fileTypeFromBuffer } from 'file-type';
import { createHash } from 'node:crypto';
import type { FieldError } from '~/lib/admin/forms';
import { ADMIN_MESSAGES, type AdminErrorCode } from '~/lib/admin/messages';
import { RecordNotFoundError, VersionConflictError, type AuditOutcome, type StaffUser } from '~/lib/admin/types';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_TOO_LARGE_MESSAGE,
  attachmentType,
  cleanAttachmentName,
} from '~/lib/publishing/attachments';
import type { ApiToken, Publication, PublicationKind } from '~/lib/publishing/model';
import {
  addAttachment,
  approve,
  attachmentRefusal,
  discardCorrection,
  editDraft,
  newPublication,
  PUBLISHING_RIGHTS_OF_ROLE,
  publishingRightsOfToken,
  publishWhenDue,
  returnToEditing,
  startCorrection,
  submitForReview,
  withdraw,
  type Approval,
  type DraftEdit,
  type PublishingRight,
  type ReviewPolicy,
  type WorkflowActor,
  type WorkflowContext,
  type WorkflowErrorCode,
  type WorkflowStep,
} from '~/lib/publishing/workflow';
import { StoreUnavailableError, type Store } from '~/server/store/store';

/** Who asks: a staff member (their role gives their rights) or a machine client's token (its scopes). */
export type Actor = { staff: Pick<StaffUser, 'username' | 'role'> } | { token: ApiToken };

/** The workflow's refusals, and what the store or the upload can add to them. */
export type PublishingErrorCode =
  | WorkflowErrorCode
  | Extract<
      AdminErrorCode,
      'NOT_FOUND' | 'VERSION_CONFLICT' | 'STORE_UNAVAILABLE' | 'PAYLOAD_TOO_LARGE' | 'ATTACHMENT_TYPE_REFUSED'
    >;
export type PublishingResult =
  | { ok: true; publication: Publication }
  | { ok: false; code: PublishingErrorCode; message: string; errors: FieldError[] };

export interface PublishingDependencies {
  store: Store;
  policy: ReviewPolicy;
  now: () => Date;
  /** Slugs the sample content (`content/`) already uses for the kind: a new item must not take one. */
  sampleSlugs: (kind: PublicationKind) => Promise<ReadonlySet<string>>;
}

/** What the audit log names the scheduler by: not a possible username, so never mistaken for one. */
export const SCHEDULER_ACTOR = '系统（定时发布）';

/** Slugs tried for one new item before giving up (each refused one is taken by a racing create). */
const SLUG_ATTEMPTS = 20;

function failure(code: PublishingErrorCode, message: string = ADMIN_MESSAGES[code], errors: FieldError[] = []) {
  return { ok: false, code, message, errors } as const;
}

function auditTarget(publication: Pick<Publication, 'kind' | 'slug'>): string {
  return `${publication.kind}/${publication.slug}`;
}

export class PublishingService {
  constructor(private readonly dependencies: PublishingDependencies) {}

  get policy(): ReviewPolicy {
    return this.dependencies.policy;
  }

  /** The actor's rights under the configured review, for showing only the buttons they may use. */
  rightsOf(actor: Actor): readonly PublishingRight[] {
    return this.workflowActor(actor).rights;
  }

  private workflowActor(actor: Actor): WorkflowActor {
    if ('staff' in actor) return { name: actor.staff.username, rights: PUBLISHING_RIGHTS_OF_ROLE[actor.staff.role] };
    const { token } = actor;
    return {
      name: `token:${token.name}`,
      rights: token.revokedAt ? [] : publishingRightsOfToken(token.scopes, this.dependencies.policy),
    };
  }

  private context(): WorkflowContext {
    return { now: this.dependencies.now(), policy: this.dependencies.policy };
  }

  private async audit(actor: string, action: string, target: string, outcome: AuditOutcome, detail: string | null) {
    try {
      await this.dependencies.store.audit.append({ actor, action: `publication.${action}`, target, outcome, detail });
    } catch (error) {
      // The step happened (or was refused) whether or not its entry could be written.
      console.error(`[audit] 审计日志写入失败（publication.${action} ${target}）：${(error as Error).message}`);
    }
  }

  /** A new item as a draft in editing, with a slug no item of its kind has. */
  async createDraft(actor: Actor, kind: PublicationKind, data: unknown): Promise<PublishingResult> {
    const who = this.workflowActor(actor);
    const taken = new Set(await this.dependencies.sampleSlugs(kind));
    for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
      const made = newPublication(kind, data, who, this.context(), taken);
      if (!made.ok) {
        if (made.code === 'FORBIDDEN') await this.audit(who.name, 'create', kind, 'denied', null);
        return made;
      }
      let created: Publication | null;
      try {
        created = await this.dependencies.store.publications.create(made.publication);
      } catch (error) {
        return this.saveFailed(error, who.name, 'create', auditTarget(made.publication));
      }
      if (created) {
        await this.audit(who.name, 'create', auditTarget(created), 'ok', null);
        return { ok: true, publication: created };
      }
      taken.add(made.publication.slug);
    }
    return failure('STORE_UNAVAILABLE');
  }

  editDraft(actor: Actor, id: string, expectedVersion: number, edit: DraftEdit): Promise<PublishingResult> {
    return this.apply(actor, id, expectedVersion, 'edit', (publication, who, context) =>
      editDraft(publication, edit, who, context),
    );
  }

  /** 提交审核. */
  submitForReview(actor: Actor, id: string, expectedVersion: number): Promise<PublishingResult> {
    return this.apply(actor, id, expectedVersion, 'submit', submitForReview);
  }

  /** 审核通过: 签发 now, or 定时发布 at `approval.scheduledFor`. */
  approve(actor: Actor, id: string, expectedVersion: number, approval: Approval = {}): Promise<PublishingResult> {
    return this.apply(actor, id, expectedVersion, 'approve', (publication, who, context) =>
      approve(publication, approval, who, context),
    );
  }

  /** 退回 with a reason for the preparer. */
  returnToEditing(actor: Actor, id: string, expectedVersion: number, reason: string): Promise<PublishingResult> {
    return this.apply(actor, id, expectedVersion, 'return', (publication, who, context) =>
      returnToEditing(publication, reason, who, context),
    );
  }

  /** 更正: a new working copy of the latest revision. */
  startCorrection(actor: Actor, id: string, expectedVersion: number): Promise<PublishingResult> {
    return this.apply(actor, id, expectedVersion, 'correct', startCorrection);
  }

  discardCorrection(actor: Actor, id: string, expectedVersion: number): Promise<PublishingResult> {
    return this.apply(actor, id, expectedVersion, 'discard', (publication, who) => discardCorrection(publication, who));
  }

  /** 撤回 with a public reason. */
  withdraw(actor: Actor, id: string, expectedVersion: number, reason: string): Promise<PublishingResult> {
    return this.apply(actor, id, expectedVersion, 'withdraw', (publication, who, context) =>
      withdraw(publication, reason, who, context),
    );
  }

  /**
   * Attaches an original document after checking its size and its real type (from its bytes). The
   * file is stored first; a record that then refuses it leaves an unreferenced file, never a
   * reference without its file.
   */
  async addAttachment(
    actor: Actor,
    id: string,
    expectedVersion: number,
    file: { name: string; content: Buffer },
  ): Promise<PublishingResult> {
    const who = this.workflowActor(actor);
    if (file.content.byteLength > ATTACHMENT_MAX_BYTES)
      return failure('PAYLOAD_TOO_LARGE', ATTACHMENT_TOO_LARGE_MESSAGE);
    const type = attachmentType((await fileTypeFromBuffer(file.content))?.mime ?? null, file.name);
    if (!type.ok) return failure('ATTACHMENT_TYPE_REFUSED');
    const current = await this.load(id, expectedVersion, who.name, 'attach');
    if (!current.ok) return current;
    // Refuse before storing the file when the record would refuse it anyway.
    const refusal = attachmentRefusal(current.publication, who);
    if (refusal) return this.refused(refusal, who.name, 'attach', current.publication);
    let ref;
    try {
      ref = await this.dependencies.store.attachments.put(
        {
          fileName: cleanAttachmentName(file.name, type.extension),
          mediaType: type.mediaType,
          bytes: file.content.byteLength,
          sha256: createHash('sha256').update(file.content).digest('hex'),
          uploadedAt: this.dependencies.now().toISOString(),
          uploadedBy: who.name,
        },
        file.content,
      );
    } catch (error) {
      return this.saveFailed(error, who.name, 'attach', auditTarget(current.publication));
    }
    return this.apply(actor, id, expectedVersion, 'attach', (publication, actorNow) =>
      addAttachment(publication, ref, actorNow),
    );
  }

  /**
   * Publishes every approved draft whose time has come. Several processes may run this at once:
   * each save names the version it read, so only one of them publishes a draft; the others meet a
   * version conflict and leave it.
   */
  async publishDue(): Promise<{ published: Publication[]; failed: number }> {
    const now = this.dependencies.now();
    const published: Publication[] = [];
    let failed = 0;
    for (const due of await this.dependencies.store.publications.listDue(now.toISOString())) {
      const step = publishWhenDue(due, { now });
      if (!step.ok) continue;
      try {
        published.push(await this.dependencies.store.publications.save(step.next, due.version, { publicChange: true }));
      } catch (error) {
        if (error instanceof VersionConflictError || error instanceof RecordNotFoundError) continue;
        failed += 1;
        await this.audit(SCHEDULER_ACTOR, 'publish', auditTarget(due), 'failed', (error as Error).message);
        continue;
      }
      await this.audit(SCHEDULER_ACTOR, 'publish', auditTarget(due), 'ok', step.detail);
    }
    return { published, failed };
  }

  private async load(
    id: string,
    expectedVersion: number,
    actorName: string,
    action: string,
  ): Promise<{ ok: true; publication: Publication } | ReturnType<typeof failure>> {
    let publication: Publication | null;
    try {
      publication = await this.dependencies.store.publications.get(id);
    } catch (error) {
      return this.saveFailed(error, actorName, action, id);
    }
    if (!publication) return failure('NOT_FOUND');
    if (publication.version !== expectedVersion) {
      await this.audit(actorName, action, auditTarget(publication), 'conflict', null);
      return failure('VERSION_CONFLICT');
    }
    return { ok: true, publication };
  }

  private async refused(
    step: Extract<WorkflowStep, { ok: false }>,
    actorName: string,
    action: string,
    publication: Publication,
  ): Promise<PublishingResult> {
    if (step.code === 'FORBIDDEN' || step.code === 'SELF_APPROVAL') {
      await this.audit(actorName, action, auditTarget(publication), 'denied', ADMIN_MESSAGES[step.code]);
    }
    return step;
  }

  private async saveFailed(error: unknown, actorName: string, action: string, target: string) {
    if (error instanceof VersionConflictError) {
      await this.audit(actorName, action, target, 'conflict', null);
      return failure('VERSION_CONFLICT');
    }
    if (error instanceof RecordNotFoundError) return failure('NOT_FOUND');
    if (error instanceof StoreUnavailableError) {
      await this.audit(actorName, action, target, 'failed', error.message);
      return failure('STORE_UNAVAILABLE');
    }
    throw error;
  }

  private async apply(
    actor: Actor,
    id: string,
    expectedVersion: number,
    action: string,
    rule: (publication: Publication, actor: WorkflowActor, context: WorkflowContext) => WorkflowStep,
  ): Promise<PublishingResult> {
    const who = this.workflowActor(actor);
    const current = await this.load(id, expectedVersion, who.name, action);
    if (!current.ok) return current;
    const step = rule(current.publication, who, this.context());
    if (!step.ok) return this.refused(step, who.name, action, current.publication);
    let saved: Publication;
    try {
      saved = await this.dependencies.store.publications.save(step.next, expectedVersion, {
        publicChange: step.publicChange,
      });
    } catch (error) {
      return this.saveFailed(error, who.name, action, auditTarget(current.publication));
    }
    await this.audit(who.name, step.action, auditTarget(saved), 'ok', step.detail);
    return { ok: true, publication: saved };
  }
}
