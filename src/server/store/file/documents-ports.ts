/**
 * The ports of the file store kept in portal.json: events, kiosks, staff accounts and sessions,
 * moderation, plan, outcome. Rules come from src/lib and ../shared; these classes only read and
 * change the documents (every change one serialized, durable write of DocumentFile).
 */
import {
  type OutcomePublication,
  type PlanItem,
  type PlanItemInput,
  type StaffSession,
  type StaffUser,
  type WriteInModeration,
  type NominationDecision,
} from '~/lib/admin/types';
import { changedStaffUser, changeEndsSessions, newStaffUser } from '~/lib/admin/staff-records';
import type { NewStaffUser, StaffUserChange } from '~/lib/admin/staff-records';
import { assertCurrentVersion, assertDecisionVersion } from '~/lib/admin/versioning';
import { moderationRecord, nominationDecisionRecord, outcomePublicationRecord } from '~/lib/moderation/decisions';
import { newPlanItem, revisedPlanItem } from '~/lib/plan/items';
import { MinimumInterval } from '~/lib/voting/minimum-interval';
import { restoredSetAside, storedSetAside, type NewSetAside, type SetAside } from '~/lib/voting/set-aside';
import { hashSecretToken, newEventCode, newKiosk, newPlanItemId, newRecordId } from '~/server/store/shared/ids';
import type {
  Events,
  Kiosk,
  Kiosks,
  KioskSlot,
  Moderation,
  NewOutreachEvent,
  Outcomes,
  OutreachEvent,
  Plan,
  SetAsides,
  StaffAccounts,
  StaffSessions,
} from '~/server/store/store';
import type { DocumentFile, KioskDocument } from './documents';

/** Puts `record` at `index` (found by findIndex), or at the end when there was none: a decision made or remade. */
function putAt<T>(list: T[], index: number, record: T): T {
  if (index >= 0) list[index] = record;
  else list.push(record);
  return structuredClone(record);
}

function withoutTokenHash({ tokenHash: _hidden, ...kiosk }: KioskDocument): Kiosk {
  return kiosk;
}

export class FileEvents implements Events {
  constructor(
    readonly documents: DocumentFile,
    readonly now: () => Date,
  ) {}

  create(event: NewOutreachEvent): Promise<OutreachEvent> {
    return this.documents.change((data) => {
      const taken = new Set(data.events.map((existing) => existing.code));
      let code = newEventCode();
      while (taken.has(code)) code = newEventCode();
      const created: OutreachEvent = { ...event, code, createdAt: this.now().toISOString() };
      data.events.push(created);
      return created;
    });
  }

  async get(code: string): Promise<OutreachEvent | null> {
    return this.documents.data.events.find((event) => event.code === code) ?? null;
  }

  async list(campaignId?: string): Promise<OutreachEvent[]> {
    return this.documents.data.events.filter((event) => campaignId === undefined || event.campaignId === campaignId);
  }
}

export class FileKiosks implements Kiosks {
  /** Kiosk pacing lives in this process: one process owns DATA_DIR, so it sees every kiosk ballot. */
  #pacing: { seconds: number; interval: MinimumInterval } | null = null;
  #pacingClockMs = 0;

  constructor(
    readonly documents: DocumentFile,
    readonly now: () => Date,
  ) {}

  create(eventCode: string): Promise<{ kiosk: Kiosk; token: string }> {
    return this.documents.change((data) => {
      const event = data.events.find((candidate) => candidate.code === eventCode);
      if (!event) throw new Error(`没有活动码为 ${eventCode} 的活动`);
      const { kiosk, token, tokenHash } = newKiosk(event, this.now());
      data.kiosks.push({ ...kiosk, tokenHash });
      return { kiosk, token };
    });
  }

  async byToken(token: string): Promise<Kiosk | null> {
    const tokenHash = hashSecretToken(token);
    const found = this.documents.data.kiosks.find((kiosk) => kiosk.tokenHash === tokenHash && kiosk.revokedAt === null);
    return found ? withoutTokenHash(found) : null;
  }

  async listOfEvents(eventCodes: readonly string[]): Promise<Kiosk[]> {
    const codes = new Set(eventCodes);
    return this.documents.data.kiosks.filter((kiosk) => codes.has(kiosk.eventCode)).map(withoutTokenHash);
  }

  revoke(kioskId: string): Promise<Kiosk | null> {
    return this.documents.change((data) => {
      const kiosk = data.kiosks.find((candidate) => candidate.id === kioskId);
      if (!kiosk) return null;
      kiosk.revokedAt ??= this.now().toISOString();
      return withoutTokenHash(kiosk);
    });
  }

  async claimSlot(kioskId: string, now: Date, minIntervalSeconds: number): Promise<KioskSlot> {
    if (this.#pacing?.seconds !== minIntervalSeconds) {
      this.#pacing = {
        seconds: minIntervalSeconds,
        interval: new MinimumInterval(minIntervalSeconds, () => this.#pacingClockMs),
      };
    }
    this.#pacingClockMs = now.getTime();
    return this.#pacing.interval.claim(kioskId);
  }
}

export class FileStaffAccounts implements StaffAccounts {
  constructor(
    readonly documents: DocumentFile,
    readonly now: () => Date,
  ) {}

  async list(): Promise<StaffUser[]> {
    return structuredClone(this.documents.data.staff);
  }

  async byUsername(username: string): Promise<StaffUser | null> {
    const user = this.documents.data.staff.find((candidate) => candidate.username === username);
    return user ? structuredClone(user) : null;
  }

  async get(id: string): Promise<StaffUser | null> {
    const user = this.documents.data.staff.find((candidate) => candidate.id === id);
    return user ? structuredClone(user) : null;
  }

  create(user: NewStaffUser, options: { onlyIfNoStaff?: boolean } = {}): Promise<StaffUser | null> {
    return this.documents.change((data) => {
      if (options.onlyIfNoStaff && data.staff.length > 0) return null;
      if (data.staff.some((existing) => existing.username === user.username)) return null;
      const created = newStaffUser(user, newRecordId('u'), this.now());
      data.staff.push(created);
      return structuredClone(created);
    });
  }

  update(id: string, expectedVersion: number, change: StaffUserChange): Promise<StaffUser> {
    return this.documents.change((data) => {
      const index = data.staff.findIndex((candidate) => candidate.id === id);
      assertCurrentVersion(data.staff[index], expectedVersion, `staff/${id}`);
      const next = changedStaffUser(data.staff[index] as StaffUser, change, this.now());
      data.staff[index] = next;
      if (changeEndsSessions(change)) data.sessions = data.sessions.filter((session) => session.userId !== id);
      return structuredClone(next);
    });
  }
}

export class FileSessions implements StaffSessions {
  constructor(readonly documents: DocumentFile) {}

  async create(session: StaffSession): Promise<void> {
    await this.documents.change((data) => {
      data.sessions.push({ ...session });
    });
  }

  async get(idHash: string): Promise<StaffSession | null> {
    const session = this.documents.data.sessions.find((candidate) => candidate.idHash === idHash);
    return session ? { ...session } : null;
  }

  async touch(idHash: string, lastSeenAt: string): Promise<void> {
    await this.documents.change((data) => {
      const session = data.sessions.find((candidate) => candidate.idHash === idHash);
      if (session && session.lastSeenAt < lastSeenAt) session.lastSeenAt = lastSeenAt;
    });
  }

  async delete(idHash: string): Promise<void> {
    if (!this.documents.data.sessions.some((session) => session.idHash === idHash)) return;
    await this.documents.change((data) => {
      data.sessions = data.sessions.filter((session) => session.idHash !== idHash);
    });
  }

  async prune(createdBefore: string, lastSeenBefore: string): Promise<void> {
    const stale = (session: StaffSession) => session.createdAt < createdBefore || session.lastSeenAt < lastSeenBefore;
    if (!this.documents.data.sessions.some(stale)) return;
    await this.documents.change((data) => {
      data.sessions = data.sessions.filter((session) => !stale(session));
    });
  }
}

export class FileModeration implements Moderation {
  constructor(
    readonly documents: DocumentFile,
    readonly now: () => Date,
  ) {}

  async list(campaignId: string): Promise<WriteInModeration[]> {
    return structuredClone(this.documents.data.writeInModeration.filter((record) => record.campaignId === campaignId));
  }

  decide: Moderation['decide'] = (campaignId, items, decision, actor) =>
    this.documents.change((data) =>
      items.map(({ key, expectedVersion }) => {
        const index = data.writeInModeration.findIndex(
          (record) => record.campaignId === campaignId && record.key === key,
        );
        assertDecisionVersion(data.writeInModeration[index], expectedVersion, `write-in/${key}`);
        return putAt(
          data.writeInModeration,
          index,
          moderationRecord(campaignId, key, decision, actor, this.now(), expectedVersion),
        );
      }),
    );
}

export class FilePlan implements Plan {
  constructor(
    readonly documents: DocumentFile,
    readonly now: () => Date,
  ) {}

  async list(filter: { year?: number; campaignId?: string } = {}): Promise<PlanItem[]> {
    return structuredClone(
      this.documents.data.planItems.filter(
        (item) =>
          (filter.year === undefined || item.year === filter.year) &&
          (filter.campaignId === undefined || item.campaignId === filter.campaignId),
      ),
    );
  }

  async get(id: string): Promise<PlanItem | null> {
    const item = this.documents.data.planItems.find((candidate) => candidate.id === id);
    return item ? structuredClone(item) : null;
  }

  create(input: PlanItemInput, actor: string): Promise<PlanItem> {
    return this.documents.change((data) => {
      const item = newPlanItem(input, newPlanItemId(), actor, this.now());
      data.planItems.push(item);
      return structuredClone(item);
    });
  }

  update(id: string, expectedVersion: number, input: PlanItemInput, actor: string): Promise<PlanItem> {
    return this.documents.change((data) => {
      const index = data.planItems.findIndex((candidate) => candidate.id === id);
      assertCurrentVersion(data.planItems[index], expectedVersion, `plan-item/${id}`);
      const revised = revisedPlanItem(data.planItems[index] as PlanItem, input, actor, this.now());
      data.planItems[index] = revised;
      return structuredClone(revised);
    });
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    await this.documents.change((data) => {
      assertCurrentVersion(
        data.planItems.find((candidate) => candidate.id === id),
        expectedVersion,
        `plan-item/${id}`,
      );
      data.planItems = data.planItems.filter((candidate) => candidate.id !== id);
    });
  }

  async listNominationDecisions(campaignId: string): Promise<NominationDecision[]> {
    return structuredClone(
      this.documents.data.nominationDecisions.filter((decision) => decision.campaignId === campaignId),
    );
  }

  setNominationDecision: Plan['setNominationDecision'] = (campaignId, nomination, version, declinedReason, actor) =>
    this.documents.change((data) => {
      const index = data.nominationDecisions.findIndex(
        (decision) => decision.campaignId === campaignId && decision.nomination === nomination,
      );
      assertDecisionVersion(data.nominationDecisions[index], version, `nomination/${nomination}`);
      if (declinedReason === null) {
        if (index >= 0) data.nominationDecisions.splice(index, 1);
        return null;
      }
      return putAt(
        data.nominationDecisions,
        index,
        nominationDecisionRecord(campaignId, nomination, declinedReason, actor, this.now(), version),
      );
    });
}

export class FileOutcomes implements Outcomes {
  constructor(
    readonly documents: DocumentFile,
    readonly now: () => Date,
  ) {}

  async list(): Promise<OutcomePublication[]> {
    return structuredClone(this.documents.data.outcomePublications);
  }

  setPublished(campaignId: string, published: boolean, actor: string): Promise<OutcomePublication | null> {
    return this.documents.change((data) => {
      data.outcomePublications = data.outcomePublications.filter(
        (publication) => publication.campaignId !== campaignId,
      );
      if (!published) return null;
      const publication = outcomePublicationRecord(campaignId, actor, this.now());
      data.outcomePublications.push(publication);
      return { ...publication };
    });
  }
}

export class FileSetAsides implements SetAsides {
  constructor(
    readonly documents: DocumentFile,
    readonly now: () => Date,
  ) {}

  async list(campaignId: string): Promise<SetAside[]> {
    return structuredClone(this.documents.data.setAsides.filter((setAside) => setAside.campaignId === campaignId));
  }

  create(setAside: NewSetAside): Promise<SetAside> {
    return this.documents.change((data) => {
      const stored = storedSetAside(setAside, newRecordId('sa'));
      data.setAsides.push(stored);
      return structuredClone(stored);
    });
  }

  restore(id: string, expectedVersion: number, actor: string): Promise<SetAside> {
    return this.documents.change((data) => {
      const index = data.setAsides.findIndex((setAside) => setAside.id === id);
      const current = data.setAsides[index];
      assertCurrentVersion(current, expectedVersion, `set-aside/${id}`);
      return putAt(data.setAsides, index, restoredSetAside(current as SetAside, actor, this.now()));
    });
  }
}
