/**
 * The staff side of the PostgreSQL store: accounts, sessions, audit log, moderation, plan, outcome.
 * Same contract as the file store's StaffDocuments: a change naming a stale version throws
 * VersionConflictError inside the transaction, which rolls everything back. Lists come back in the
 * order records were first created (the `position` column), as the file store's arrays do.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import {
  RecordNotFoundError,
  VersionConflictError,
  type AuditEntry,
  type AuditOutcome,
  type ModerationDecision,
  type NewAuditEntry,
  type NominationDecision,
  type NominationKey,
  type OutcomePublication,
  type PlanItem,
  type PlanItemInput,
  type StaffRole,
  type StaffSession,
  type StaffUser,
  type WriteInKey,
  type WriteInModeration,
  type MergeTarget,
  type PlanMethod,
  type PlanStage,
} from '../../../lib/admin/types';
import type { NewStaffUser, StaffStore, StaffUserChange } from '../store';
import { query, transaction } from './db';

type StaffMethods = Omit<StaffStore, 'readBallotsSince' | 'readAddressReviewSince'>;

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

interface StaffRow {
  id: string;
  username: string;
  role: StaffRole;
  password_hash: string;
  created_at: string;
  password_changed_at: string;
  disabled_at: string | null;
  version: number;
}

const toStaff = (row: StaffRow): StaffUser => ({
  id: row.id,
  username: row.username,
  role: row.role,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  passwordChangedAt: row.password_changed_at,
  disabledAt: row.disabled_at,
  version: row.version,
});

interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
}

const toSession = (row: SessionRow): StaffSession => ({ idHash: row.id_hash, userId: row.user_id, createdAt: row.created_at, lastSeenAt: row.last_seen_at });

interface ModerationRow {
  campaign_id: string;
  key: string;
  status: WriteInModeration['status'];
  reason: string | null;
  merged_into: MergeTarget | null;
  decided_by: string;
  decided_at: string;
  version: number;
}

const toModeration = (row: ModerationRow): WriteInModeration => ({
  campaignId: row.campaign_id,
  key: row.key,
  status: row.status,
  reason: row.reason,
  mergedInto: row.merged_into,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  version: row.version,
});

interface PlanRow {
  id: string;
  year: number;
  category: string;
  method: PlanMethod;
  quarters: number[];
  planned_batches: number | null;
  stages: PlanStage[];
  reason: string;
  campaign_id: string;
  nomination: string;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  version: number;
}

const toPlanItem = (row: PlanRow): PlanItem => ({
  id: row.id,
  year: row.year,
  category: row.category,
  method: row.method,
  quarters: row.quarters,
  plannedBatches: row.planned_batches,
  stages: row.stages,
  reason: row.reason,
  campaignId: row.campaign_id,
  nomination: row.nomination,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
  version: row.version,
});

interface DecisionRow {
  campaign_id: string;
  nomination: string;
  declined_reason: string;
  decided_by: string;
  decided_at: string;
  version: number;
}

const toDecision = (row: DecisionRow): NominationDecision => ({
  campaignId: row.campaign_id,
  nomination: row.nomination,
  declinedReason: row.declined_reason,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  version: row.version,
});

interface AuditRow {
  id: string;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  detail: string | null;
}

const toAudit = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  target: row.target,
  outcome: row.outcome,
  detail: row.detail,
});

export class PgStaff implements StaffMethods {
  readonly #pool: pg.Pool;
  readonly #now: () => Date;

  constructor(pool: pg.Pool, now: () => Date) {
    this.#pool = pool;
    this.#now = now;
  }

  async listStaff(): Promise<StaffUser[]> {
    return (await query<StaffRow>(this.#pool, 'SELECT * FROM staff_users ORDER BY position')).rows.map(toStaff);
  }

  async getStaffByUsername(username: string): Promise<StaffUser | null> {
    const { rows } = await query<StaffRow>(this.#pool, 'SELECT * FROM staff_users WHERE username = $1', [username]);
    return rows[0] ? toStaff(rows[0]) : null;
  }

  async getStaff(id: string): Promise<StaffUser | null> {
    const { rows } = await query<StaffRow>(this.#pool, 'SELECT * FROM staff_users WHERE id = $1', [id]);
    return rows[0] ? toStaff(rows[0]) : null;
  }

  createStaff(user: NewStaffUser, options: { onlyIfNoStaff?: boolean } = {}): Promise<StaffUser | null> {
    return transaction(this.#pool, async (client) => {
      // Two processes starting on an empty database both try to create the first admin: serialise.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('portal:staff_users'))");
      if (options.onlyIfNoStaff && (await client.query('SELECT 1 FROM staff_users LIMIT 1')).rowCount) return null;
      const now = this.#now().toISOString();
      const { rows } = await client.query<StaffRow>(
        `INSERT INTO staff_users (id, username, role, password_hash, created_at, password_changed_at, disabled_at, version)
         VALUES ($1, $2, $3, $4, $5, $5, NULL, 1) ON CONFLICT (username) DO NOTHING RETURNING *`,
        [newId('u'), user.username, user.role, user.passwordHash, now],
      );
      return rows[0] ? toStaff(rows[0]) : null;
    });
  }

  updateStaff(id: string, expectedVersion: number, change: StaffUserChange): Promise<StaffUser> {
    return transaction(this.#pool, async (client) => {
      const current = (await client.query<StaffRow>('SELECT * FROM staff_users WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!current) throw new RecordNotFoundError(`staff/${id}`);
      if (current.version !== expectedVersion) throw new VersionConflictError(`staff/${id}`);
      const next = { ...current };
      if (change.passwordHash !== undefined) {
        next.password_hash = change.passwordHash;
        next.password_changed_at = this.#now().toISOString();
      }
      if (change.role !== undefined) next.role = change.role;
      if (change.disabledAt !== undefined) next.disabled_at = change.disabledAt;
      const { rows } = await client.query<StaffRow>(
        `UPDATE staff_users SET password_hash = $2, password_changed_at = $3, role = $4, disabled_at = $5, version = version + 1
         WHERE id = $1 RETURNING *`,
        [id, next.password_hash, next.password_changed_at, next.role, next.disabled_at],
      );
      if (change.passwordHash !== undefined || change.disabledAt) await client.query('DELETE FROM staff_sessions WHERE user_id = $1', [id]);
      return toStaff(rows[0] as StaffRow);
    });
  }

  async createSession(session: StaffSession): Promise<void> {
    await query(this.#pool, 'INSERT INTO staff_sessions (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)', [
      session.idHash,
      session.userId,
      session.createdAt,
      session.lastSeenAt,
    ]);
  }

  async getSession(idHash: string): Promise<StaffSession | null> {
    const { rows } = await query<SessionRow>(this.#pool, 'SELECT * FROM staff_sessions WHERE id_hash = $1', [idHash]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    await query(this.#pool, 'UPDATE staff_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2', [idHash, lastSeenAt]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await query(this.#pool, 'DELETE FROM staff_sessions WHERE id_hash = $1', [idHash]);
  }

  async pruneSessions(createdBefore: string, lastSeenBefore: string): Promise<void> {
    await query(this.#pool, 'DELETE FROM staff_sessions WHERE created_at < $1 OR last_seen_at < $2', [createdBefore, lastSeenBefore]);
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const full: AuditEntry = { id: newId('a'), at: this.#now().toISOString(), ...entry };
    await query(this.#pool, 'INSERT INTO audit_log (id, at, actor, action, target, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      full.id,
      full.at,
      full.actor,
      full.action,
      full.target,
      full.outcome,
      full.detail,
    ]);
    return full;
  }

  async listAudit(options: { limit: number; offset: number }): Promise<{ entries: AuditEntry[]; total: number }> {
    const [page, count] = await Promise.all([
      query<AuditRow>(this.#pool, 'SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1 OFFSET $2', [options.limit, options.offset]),
      query<{ total: number }>(this.#pool, 'SELECT count(*) AS total FROM audit_log'),
    ]);
    return { entries: page.rows.map(toAudit), total: count.rows[0]?.total ?? 0 };
  }

  async listWriteInModeration(campaignId: string): Promise<WriteInModeration[]> {
    return (await query<ModerationRow>(this.#pool, 'SELECT * FROM write_in_moderation WHERE campaign_id = $1 ORDER BY position', [campaignId])).rows.map(
      toModeration,
    );
  }

  moderateWriteIns(
    campaignId: string,
    items: readonly { key: WriteInKey; expectedVersion: number }[],
    decision: ModerationDecision,
    actor: string,
  ): Promise<WriteInModeration[]> {
    return transaction(this.#pool, async (client) => {
      const decidedAt = this.#now().toISOString();
      const reason = decision.status === 'rejected' ? decision.reason : null;
      const mergedInto = decision.status === 'merged' ? JSON.stringify(decision.mergedInto) : null;
      const changed: WriteInModeration[] = [];
      for (const { key, expectedVersion } of items) {
        const values = [campaignId, key, decision.status, reason, mergedInto, actor, decidedAt, expectedVersion + 1];
        // Version 0 means "not decided yet": the insert must be the first; else the update must find the version seen.
        const { rows } =
          expectedVersion === 0
            ? await client.query<ModerationRow>(
                `INSERT INTO write_in_moderation (campaign_id, key, status, reason, merged_into, decided_by, decided_at, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (campaign_id, key) DO NOTHING RETURNING *`,
                values,
              )
            : await client.query<ModerationRow>(
                `UPDATE write_in_moderation SET status = $3, reason = $4, merged_into = $5, decided_by = $6, decided_at = $7, version = $8
                 WHERE campaign_id = $1 AND key = $2 AND version = $8 - 1 RETURNING *`,
                values,
              );
        if (!rows[0]) throw new VersionConflictError(`write-in/${key}`);
        // Keep the voting side's approved/rejected view (listWriteIns) in step with this decision.
        const [ballotId = '', indexText = ''] = key.split('#');
        await client.query(
          `INSERT INTO write_in_decisions (ballot_id, index, status, decided_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (ballot_id, index) DO UPDATE SET status = excluded.status, decided_at = excluded.decided_at`,
          [ballotId, Number(indexText), decision.status === 'rejected' ? 'rejected' : 'approved', decidedAt],
        );
        changed.push(toModeration(rows[0]));
      }
      return changed;
    });
  }

  async listPlanItems(filter: { year?: number; campaignId?: string } = {}): Promise<PlanItem[]> {
    const { rows } = await query<PlanRow>(
      this.#pool,
      'SELECT * FROM plan_items WHERE ($1::integer IS NULL OR year = $1) AND ($2::text IS NULL OR campaign_id = $2) ORDER BY position',
      [filter.year ?? null, filter.campaignId ?? null],
    );
    return rows.map(toPlanItem);
  }

  async getPlanItem(id: string): Promise<PlanItem | null> {
    const { rows } = await query<PlanRow>(this.#pool, 'SELECT * FROM plan_items WHERE id = $1', [id]);
    return rows[0] ? toPlanItem(rows[0]) : null;
  }

  async createPlanItem(input: PlanItemInput, actor: string): Promise<PlanItem> {
    const now = this.#now().toISOString();
    const { rows } = await query<PlanRow>(
      this.#pool,
      `INSERT INTO plan_items (id, year, category, method, quarters, planned_batches, stages, reason, campaign_id, nomination,
                               created_by, created_at, updated_by, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $12, 1) RETURNING *`,
      [newId('p').toLowerCase().replace(/[^a-z0-9]/g, '-'), ...planValues(input), actor, now],
    );
    return toPlanItem(rows[0] as PlanRow);
  }

  updatePlanItem(id: string, expectedVersion: number, input: PlanItemInput, actor: string): Promise<PlanItem> {
    return transaction(this.#pool, async (client) => {
      const { rows } = await client.query<PlanRow>(
        `UPDATE plan_items SET year = $2, category = $3, method = $4, quarters = $5, planned_batches = $6, stages = $7, reason = $8,
                campaign_id = $9, nomination = $10, updated_by = $11, updated_at = $12, version = version + 1
         WHERE id = $1 AND version = $13 RETURNING *`,
        [id, ...planValues(input), actor, this.#now().toISOString(), expectedVersion],
      );
      if (rows[0]) return toPlanItem(rows[0]);
      throw (await client.query('SELECT 1 FROM plan_items WHERE id = $1', [id])).rowCount
        ? new VersionConflictError(`plan-item/${id}`)
        : new RecordNotFoundError(`plan-item/${id}`);
    });
  }

  async deletePlanItem(id: string, expectedVersion: number): Promise<void> {
    await transaction(this.#pool, async (client) => {
      if ((await client.query('DELETE FROM plan_items WHERE id = $1 AND version = $2', [id, expectedVersion])).rowCount) return;
      throw (await client.query('SELECT 1 FROM plan_items WHERE id = $1', [id])).rowCount
        ? new VersionConflictError(`plan-item/${id}`)
        : new RecordNotFoundError(`plan-item/${id}`);
    });
  }

  async listNominationDecisions(campaignId: string): Promise<NominationDecision[]> {
    return (await query<DecisionRow>(this.#pool, 'SELECT * FROM nomination_decisions WHERE campaign_id = $1 ORDER BY position', [campaignId])).rows.map(
      toDecision,
    );
  }

  setNominationDecision(
    campaignId: string,
    nomination: NominationKey,
    expectedVersion: number,
    declinedReason: string | null,
    actor: string,
  ): Promise<NominationDecision | null> {
    return transaction(this.#pool, async (client) => {
      const existing = (
        await client.query<{ version: number }>('SELECT version FROM nomination_decisions WHERE campaign_id = $1 AND nomination = $2 FOR UPDATE', [
          campaignId,
          nomination,
        ])
      ).rows[0];
      if ((existing?.version ?? 0) !== expectedVersion) throw new VersionConflictError(`nomination/${nomination}`);
      if (declinedReason === null) {
        await client.query('DELETE FROM nomination_decisions WHERE campaign_id = $1 AND nomination = $2', [campaignId, nomination]);
        return null;
      }
      const values = [campaignId, nomination, declinedReason, actor, this.#now().toISOString(), expectedVersion + 1];
      // A first decision racing another first decision hits the primary key: that is a conflict too.
      const { rows } = existing
        ? await client.query<DecisionRow>(
            `UPDATE nomination_decisions SET declined_reason = $3, decided_by = $4, decided_at = $5, version = $6
             WHERE campaign_id = $1 AND nomination = $2 RETURNING *`,
            values,
          )
        : await client.query<DecisionRow>(
            `INSERT INTO nomination_decisions (campaign_id, nomination, declined_reason, decided_by, decided_at, version)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING *`,
            values,
          );
      if (!rows[0]) throw new VersionConflictError(`nomination/${nomination}`);
      return toDecision(rows[0]);
    });
  }

  async listOutcomePublications(): Promise<OutcomePublication[]> {
    const { rows } = await query<{ campaign_id: string; published_at: string; published_by: string }>(
      this.#pool,
      'SELECT * FROM outcome_publications ORDER BY position',
    );
    return rows.map((row) => ({ campaignId: row.campaign_id, publishedAt: row.published_at, publishedBy: row.published_by }));
  }

  setOutcomePublished(campaignId: string, published: boolean, actor: string): Promise<OutcomePublication | null> {
    return transaction(this.#pool, async (client) => {
      await client.query('DELETE FROM outcome_publications WHERE campaign_id = $1', [campaignId]);
      if (!published) return null;
      const publication: OutcomePublication = { campaignId, publishedAt: this.#now().toISOString(), publishedBy: actor };
      await client.query('INSERT INTO outcome_publications (campaign_id, published_at, published_by) VALUES ($1, $2, $3)', [
        campaignId,
        publication.publishedAt,
        publication.publishedBy,
      ]);
      return publication;
    });
  }
}

function planValues(input: PlanItemInput): unknown[] {
  return [
    input.year,
    input.category,
    input.method,
    JSON.stringify(input.quarters),
    input.plannedBatches,
    JSON.stringify(input.stages),
    input.reason,
    input.campaignId,
    input.nomination,
  ];
}
