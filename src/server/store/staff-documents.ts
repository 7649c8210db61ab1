/**
 * The lowdb half of the staff side of FileStore (accounts, sessions, moderation, plan, outcome) plus
 * the append-only audit log `audit.jsonl`. Each change runs inside FileStore's serialized document
 * update, which applies it to a copy: a version conflict or a failed write leaves nothing half-saved.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  RecordNotFoundError,
  VersionConflictError,
  type AuditEntry,
  type ModerationDecision,
  type NewAuditEntry,
  type NominationDecision,
  type NominationKey,
  type OutcomePublication,
  type PlanItem,
  type PlanItemInput,
  type StaffSession,
  type StaffUser,
  type WriteInKey,
  type WriteInModeration,
} from '../../lib/admin/types';
import type { PortalDocuments } from './documents';
import type { NewStaffUser, StaffStore, StaffUserChange } from './store';

export const AUDIT_FILE = 'audit.jsonl';

type StaffMethods = Omit<StaffStore, 'readBallotsSince' | 'readAddressReviewSince'>;

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

export class StaffDocuments implements StaffMethods {
  readonly #data: () => PortalDocuments;
  readonly #update: (change: (data: PortalDocuments) => void) => Promise<void>;
  readonly #now: () => Date;
  readonly #auditPath: string;
  #auditWrites: Promise<void> = Promise.resolve();

  constructor(init: {
    data: () => PortalDocuments;
    update: (change: (data: PortalDocuments) => void) => Promise<void>;
    now: () => Date;
    dataDir: string;
  }) {
    this.#data = init.data;
    this.#update = init.update;
    this.#now = init.now;
    this.#auditPath = join(init.dataDir, AUDIT_FILE);
  }

  /** Runs `change` in the serialized update and hands back what it returned. */
  async #change<T>(change: (data: PortalDocuments) => T): Promise<T> {
    let result: { value: T } | null = null;
    await this.#update((data) => {
      result = { value: change(data) };
    });
    return (result as { value: T } | null)!.value;
  }

  async listStaff(): Promise<StaffUser[]> {
    return structuredClone(this.#data().staff);
  }

  async getStaffByUsername(username: string): Promise<StaffUser | null> {
    const user = this.#data().staff.find((candidate) => candidate.username === username);
    return user ? structuredClone(user) : null;
  }

  async getStaff(id: string): Promise<StaffUser | null> {
    const user = this.#data().staff.find((candidate) => candidate.id === id);
    return user ? structuredClone(user) : null;
  }

  createStaff(user: NewStaffUser, options: { onlyIfNoStaff?: boolean } = {}): Promise<StaffUser | null> {
    return this.#change((data) => {
      if (options.onlyIfNoStaff && data.staff.length > 0) return null;
      if (data.staff.some((existing) => existing.username === user.username)) return null;
      const now = this.#now().toISOString();
      const created: StaffUser = { ...user, id: newId('u'), createdAt: now, passwordChangedAt: now, disabledAt: null, version: 1 };
      data.staff.push(created);
      return structuredClone(created);
    });
  }

  updateStaff(id: string, expectedVersion: number, change: StaffUserChange): Promise<StaffUser> {
    return this.#change((data) => {
      const user = data.staff.find((candidate) => candidate.id === id);
      if (!user) throw new RecordNotFoundError(`staff/${id}`);
      if (user.version !== expectedVersion) throw new VersionConflictError(`staff/${id}`);
      if (change.passwordHash !== undefined) {
        user.passwordHash = change.passwordHash;
        user.passwordChangedAt = this.#now().toISOString();
      }
      if (change.role !== undefined) user.role = change.role;
      if (change.disabledAt !== undefined) user.disabledAt = change.disabledAt;
      user.version += 1;
      if (change.passwordHash !== undefined || change.disabledAt) {
        data.sessions = data.sessions.filter((session) => session.userId !== id);
      }
      return structuredClone(user);
    });
  }

  async createSession(session: StaffSession): Promise<void> {
    await this.#update((data) => {
      data.sessions.push({ ...session });
    });
  }

  async getSession(idHash: string): Promise<StaffSession | null> {
    const session = this.#data().sessions.find((candidate) => candidate.idHash === idHash);
    return session ? { ...session } : null;
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    await this.#update((data) => {
      const session = data.sessions.find((candidate) => candidate.idHash === idHash);
      if (session && session.lastSeenAt < lastSeenAt) session.lastSeenAt = lastSeenAt;
    });
  }

  async deleteSession(idHash: string): Promise<void> {
    if (!this.#data().sessions.some((session) => session.idHash === idHash)) return;
    await this.#update((data) => {
      data.sessions = data.sessions.filter((session) => session.idHash !== idHash);
    });
  }

  async pruneSessions(createdBefore: string, lastSeenBefore: string): Promise<void> {
    const stale = (session: StaffSession) => session.createdAt < createdBefore || session.lastSeenAt < lastSeenBefore;
    if (!this.#data().sessions.some(stale)) return;
    await this.#update((data) => {
      data.sessions = data.sessions.filter((session) => !stale(session));
    });
  }

  /** Appended, never rewritten: an entry once written stays as it was. */
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const full: AuditEntry = { id: newId('a'), at: this.#now().toISOString(), ...entry };
    const write = this.#auditWrites.then(() => appendFile(this.#auditPath, `${JSON.stringify(full)}\n`, { mode: 0o600 }));
    this.#auditWrites = write.catch(() => undefined);
    return write.then(() => full);
  }

  async listAudit(options: { limit: number; offset: number }): Promise<{ entries: AuditEntry[]; total: number }> {
    await this.#auditWrites;
    let text: string;
    try {
      text = await readFile(this.#auditPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], total: 0 };
      throw error;
    }
    const lines = text.split('\n').filter(Boolean);
    const total = lines.length;
    const end = Math.max(0, total - options.offset);
    const start = Math.max(0, end - options.limit);
    const entries = lines
      .slice(start, end)
      .reverse()
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as AuditEntry];
        } catch {
          return [];
        }
      });
    return { entries, total };
  }

  async listWriteInModeration(campaignId: string): Promise<WriteInModeration[]> {
    return structuredClone(this.#data().writeInModeration.filter((record) => record.campaignId === campaignId));
  }

  moderateWriteIns(
    campaignId: string,
    items: readonly { key: WriteInKey; expectedVersion: number }[],
    decision: ModerationDecision,
    actor: string,
  ): Promise<WriteInModeration[]> {
    return this.#change((data) => {
      const decidedAt = this.#now().toISOString();
      const changed: WriteInModeration[] = [];
      for (const { key, expectedVersion } of items) {
        const existing = data.writeInModeration.find((record) => record.campaignId === campaignId && record.key === key);
        if ((existing?.version ?? 0) !== expectedVersion) throw new VersionConflictError(`write-in/${key}`);
        const record: WriteInModeration = {
          campaignId,
          key,
          status: decision.status,
          reason: decision.status === 'rejected' ? decision.reason : null,
          mergedInto: decision.status === 'merged' ? decision.mergedInto : null,
          decidedBy: actor,
          decidedAt,
          version: expectedVersion + 1,
        };
        if (existing) Object.assign(existing, record);
        else data.writeInModeration.push(record);
        // Keep the voting side's approved/rejected view (listWriteIns) in step with this decision.
        const [ballotId = '', indexText = ''] = key.split('#');
        const index = Number(indexText);
        data.writeInDecisions = data.writeInDecisions.filter((d) => !(d.ballotId === ballotId && d.index === index));
        data.writeInDecisions.push({ ballotId, index, status: decision.status === 'rejected' ? 'rejected' : 'approved', decidedAt });
        changed.push(structuredClone(record));
      }
      return changed;
    });
  }

  async listPlanItems(filter: { year?: number; campaignId?: string } = {}): Promise<PlanItem[]> {
    return structuredClone(
      this.#data().planItems.filter(
        (item) =>
          (filter.year === undefined || item.year === filter.year) &&
          (filter.campaignId === undefined || item.campaignId === filter.campaignId),
      ),
    );
  }

  async getPlanItem(id: string): Promise<PlanItem | null> {
    const item = this.#data().planItems.find((candidate) => candidate.id === id);
    return item ? structuredClone(item) : null;
  }

  createPlanItem(input: PlanItemInput, actor: string): Promise<PlanItem> {
    return this.#change((data) => {
      const now = this.#now().toISOString();
      const item: PlanItem = {
        ...structuredClone(input),
        id: newId('p').toLowerCase().replace(/[^a-z0-9]/g, '-'),
        createdBy: actor,
        createdAt: now,
        updatedBy: actor,
        updatedAt: now,
        version: 1,
      };
      data.planItems.push(item);
      return structuredClone(item);
    });
  }

  updatePlanItem(id: string, expectedVersion: number, input: PlanItemInput, actor: string): Promise<PlanItem> {
    return this.#change((data) => {
      const item = data.planItems.find((candidate) => candidate.id === id);
      if (!item) throw new RecordNotFoundError(`plan-item/${id}`);
      if (item.version !== expectedVersion) throw new VersionConflictError(`plan-item/${id}`);
      Object.assign(item, structuredClone(input), {
        updatedBy: actor,
        updatedAt: this.#now().toISOString(),
        version: item.version + 1,
      });
      return structuredClone(item);
    });
  }

  async deletePlanItem(id: string, expectedVersion: number): Promise<void> {
    await this.#change((data) => {
      const item = data.planItems.find((candidate) => candidate.id === id);
      if (!item) throw new RecordNotFoundError(`plan-item/${id}`);
      if (item.version !== expectedVersion) throw new VersionConflictError(`plan-item/${id}`);
      data.planItems = data.planItems.filter((candidate) => candidate.id !== id);
    });
  }

  async listNominationDecisions(campaignId: string): Promise<NominationDecision[]> {
    return structuredClone(this.#data().nominationDecisions.filter((decision) => decision.campaignId === campaignId));
  }

  setNominationDecision(
    campaignId: string,
    nomination: NominationKey,
    expectedVersion: number,
    declinedReason: string | null,
    actor: string,
  ): Promise<NominationDecision | null> {
    return this.#change((data) => {
      const index = data.nominationDecisions.findIndex(
        (decision) => decision.campaignId === campaignId && decision.nomination === nomination,
      );
      const existing = index >= 0 ? data.nominationDecisions[index] : undefined;
      if ((existing?.version ?? 0) !== expectedVersion) throw new VersionConflictError(`nomination/${nomination}`);
      if (declinedReason === null) {
        if (existing) data.nominationDecisions.splice(index, 1);
        return null;
      }
      const decision: NominationDecision = {
        campaignId,
        nomination,
        declinedReason,
        decidedBy: actor,
        decidedAt: this.#now().toISOString(),
        version: expectedVersion + 1,
      };
      if (existing) Object.assign(existing, decision);
      else data.nominationDecisions.push(decision);
      return structuredClone(decision);
    });
  }

  async listOutcomePublications(): Promise<OutcomePublication[]> {
    return structuredClone(this.#data().outcomePublications);
  }

  setOutcomePublished(campaignId: string, published: boolean, actor: string): Promise<OutcomePublication | null> {
    return this.#change((data) => {
      data.outcomePublications = data.outcomePublications.filter((publication) => publication.campaignId !== campaignId);
      if (!published) return null;
      const publication: OutcomePublication = { campaignId, publishedAt: this.#now().toISOString(), publishedBy: actor };
      data.outcomePublications.push(publication);
      return { ...publication };
    });
  }
}
