/**
 * The staff side of the PostgreSQL store: accounts, sessions, audit log, moderation, plan, outcome.
 * The rules (records, version checks, ids) come from src/lib and ../shared, as in the file store;
 * these classes read the rows they check (FOR UPDATE) and write what the rules made, in one
 * transaction, so a stale version changes nothing. Lists come back in the order records were
 * first created (the `position` column), as the file store's arrays do.
 */
import type pg from 'pg';
import { capAuditEntry } from '~/lib/admin/audit-entries';
import { changedStaffUser, changeEndsSessions, newStaffUser } from '~/lib/admin/staff-records';
import type { NewStaffUser, StaffUserChange } from '~/lib/admin/staff-records';
import type { AuditEntry, AuditOutcome, NewAuditEntry, NominationDecision } from '~/lib/admin/types';
import type {
  OutcomePublication,
  PlanItem,
  PlanItemInput,
  StaffRole,
  StaffSession,
  StaffUser,
} from '~/lib/admin/types';
import type { WriteInModeration, MergeTarget, PlanMethod, PlanStage } from '~/lib/admin/types';
import { assertCurrentVersion, assertDecisionVersion } from '~/lib/admin/versioning';
import { VersionConflictError } from '~/lib/admin/types';
import { moderationRecord, nominationDecisionRecord, outcomePublicationRecord } from '~/lib/moderation/decisions';
import { newPlanItem, revisedPlanItem } from '~/lib/plan/items';
import { newPlanItemId, newRecordId } from '~/server/store/shared/ids';
import type { AuditLog, Moderation, Outcomes, Plan, StaffAccounts, StaffSessions } from '~/server/store/store';
import { query, transaction } from './db';

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

const toSession = (row: SessionRow): StaffSession => ({
  idHash: row.id_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
});

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

export class PgStaffAccounts implements StaffAccounts {
  constructor(
    readonly pool: pg.Pool,
    readonly now: () => Date,
  ) {}

  async list(): Promise<StaffUser[]> {
    return (await query<StaffRow>(this.pool, 'SELECT * FROM staff_users ORDER BY position')).rows.map(toStaff);
  }

  async byUsername(username: string): Promise<StaffUser | null> {
    const { rows } = await query<StaffRow>(this.pool, 'SELECT * FROM staff_users WHERE username = $1', [username]);
    return rows[0] ? toStaff(rows[0]) : null;
  }

  async get(id: string): Promise<StaffUser | null> {
    const { rows } = await query<StaffRow>(this.pool, 'SELECT * FROM staff_users WHERE id = $1', [id]);
    return rows[0] ? toStaff(rows[0]) : null;
  }

  create(user: NewStaffUser, options: { onlyIfNoStaff?: boolean } = {}): Promise<StaffUser | null> {
    return transaction(this.pool, async (client) => {
      // Two processes starting on an empty database both try to create the first admin: serialise.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('portal:staff_users'))");
      if (options.onlyIfNoStaff && (await client.query('SELECT 1 FROM staff_users LIMIT 1')).rowCount) return null;
      const created = newStaffUser(user, newRecordId('u'), this.now());
      const { rows } = await client.query<StaffRow>(
        `INSERT INTO staff_users (id, username, role, password_hash, created_at, password_changed_at, disabled_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (username) DO NOTHING RETURNING *`,
        [
          created.id,
          created.username,
          created.role,
          created.passwordHash,
          created.createdAt,
          created.passwordChangedAt,
          created.disabledAt,
          created.version,
        ],
      );
      return rows[0] ? toStaff(rows[0]) : null;
    });
  }

  update(id: string, expectedVersion: number, change: StaffUserChange): Promise<StaffUser> {
    return transaction(this.pool, async (client) => {
      const current = (await client.query<StaffRow>('SELECT * FROM staff_users WHERE id = $1 FOR UPDATE', [id]))
        .rows[0];
      assertCurrentVersion(current, expectedVersion, `staff/${id}`);
      const next = changedStaffUser(toStaff(current as StaffRow), change, this.now());
      const { rows } = await client.query<StaffRow>(
        `UPDATE staff_users SET password_hash = $2, password_changed_at = $3, role = $4, disabled_at = $5, version = $6
         WHERE id = $1 RETURNING *`,
        [id, next.passwordHash, next.passwordChangedAt, next.role, next.disabledAt, next.version],
      );
      if (changeEndsSessions(change)) await client.query('DELETE FROM staff_sessions WHERE user_id = $1', [id]);
      return toStaff(rows[0] as StaffRow);
    });
  }
}

export class PgSessions implements StaffSessions {
  constructor(readonly pool: pg.Pool) {}

  async create(session: StaffSession): Promise<void> {
    await query(
      this.pool,
      'INSERT INTO staff_sessions (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)',
      [session.idHash, session.userId, session.createdAt, session.lastSeenAt],
    );
  }

  async get(idHash: string): Promise<StaffSession | null> {
    const { rows } = await query<SessionRow>(this.pool, 'SELECT * FROM staff_sessions WHERE id_hash = $1', [idHash]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  async touch(idHash: string, lastSeenAt: string): Promise<void> {
    await query(this.pool, 'UPDATE staff_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2', [
      idHash,
      lastSeenAt,
    ]);
  }

  async delete(idHash: string): Promise<void> {
    await query(this.pool, 'DELETE FROM staff_sessions WHERE id_hash = $1', [idHash]);
  }

  async prune(createdBefore: string, lastSeenBefore: string): Promise<void> {
    await query(this.pool, 'DELETE FROM staff_sessions WHERE created_at < $1 OR last_seen_at < $2', [
      createdBefore,
      lastSeenBefore,
    ]);
  }
}

export class PgAuditLog implements AuditLog {
  constructor(
    readonly pool: pg.Pool,
    readonly now: () => Date,
  ) {}

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const full: AuditEntry = { id: newRecordId('a'), at: this.now().toISOString(), ...capAuditEntry(entry) };
    await query(
      this.pool,
      'INSERT INTO audit_log (id, at, actor, action, target, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [full.id, full.at, full.actor, full.action, full.target, full.outcome, full.detail],
    );
    return full;
  }

  async list(options: { limit: number; offset: number }): Promise<{ entries: AuditEntry[]; total: number }> {
    const [page, count] = await Promise.all([
      query<AuditRow>(this.pool, 'SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1 OFFSET $2', [
        options.limit,
        options.offset,
      ]),
      query<{ total: number }>(this.pool, 'SELECT count(*) AS total FROM audit_log'),
    ]);
    return { entries: page.rows.map(toAudit), total: count.rows[0]?.total ?? 0 };
  }
}

export class PgModeration implements Moderation {
  constructor(
    readonly pool: pg.Pool,
    readonly now: () => Date,
  ) {}

  async list(campaignId: string): Promise<WriteInModeration[]> {
    return (
      await query<ModerationRow>(
        this.pool,
        'SELECT * FROM write_in_moderation WHERE campaign_id = $1 ORDER BY position',
        [campaignId],
      )
    ).rows.map(toModeration);
  }

  decide: Moderation['decide'] = (campaignId, items, decision, actor) =>
    transaction(this.pool, async (client) => {
      const changed: WriteInModeration[] = [];
      for (const { key, expectedVersion } of items) {
        const existing = (
          await client.query<{ version: number }>(
            'SELECT version FROM write_in_moderation WHERE campaign_id = $1 AND key = $2 FOR UPDATE',
            [campaignId, key],
          )
        ).rows[0];
        assertDecisionVersion(existing, expectedVersion, `write-in/${key}`);
        const record = moderationRecord(campaignId, key, decision, actor, this.now(), expectedVersion);
        // A first decision racing another first decision hits the primary key: that is a conflict too.
        const { rowCount } = await client.query(
          `INSERT INTO write_in_moderation (campaign_id, key, status, reason, merged_into, decided_by, decided_at, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (campaign_id, key) DO UPDATE SET status = $3, reason = $4, merged_into = $5, decided_by = $6, decided_at = $7, version = $8
           WHERE write_in_moderation.version = $9`,
          [
            record.campaignId,
            record.key,
            record.status,
            record.reason,
            record.mergedInto === null ? null : JSON.stringify(record.mergedInto),
            record.decidedBy,
            record.decidedAt,
            record.version,
            expectedVersion,
          ],
        );
        if (!rowCount) throw new VersionConflictError(`write-in/${key}`);
        changed.push(record);
      }
      return changed;
    });
}

export class PgPlan implements Plan {
  constructor(
    readonly pool: pg.Pool,
    readonly now: () => Date,
  ) {}

  async list(filter: { year?: number; campaignId?: string } = {}): Promise<PlanItem[]> {
    const { rows } = await query<PlanRow>(
      this.pool,
      'SELECT * FROM plan_items WHERE ($1::integer IS NULL OR year = $1) AND ($2::text IS NULL OR campaign_id = $2) ORDER BY position',
      [filter.year ?? null, filter.campaignId ?? null],
    );
    return rows.map(toPlanItem);
  }

  async get(id: string): Promise<PlanItem | null> {
    const { rows } = await query<PlanRow>(this.pool, 'SELECT * FROM plan_items WHERE id = $1', [id]);
    return rows[0] ? toPlanItem(rows[0]) : null;
  }

  async create(input: PlanItemInput, actor: string): Promise<PlanItem> {
    const item = newPlanItem(input, newPlanItemId(), actor, this.now());
    const { rows } = await query<PlanRow>(
      this.pool,
      `INSERT INTO plan_items (year, category, method, quarters, planned_batches, stages, reason, campaign_id, nomination,
                               id, created_by, created_at, updated_by, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *`,
      [...planValues(item), item.id, item.createdBy, item.createdAt, item.updatedBy, item.updatedAt, item.version],
    );
    return toPlanItem(rows[0] as PlanRow);
  }

  update(id: string, expectedVersion: number, input: PlanItemInput, actor: string): Promise<PlanItem> {
    return transaction(this.pool, async (client) => {
      const current = (await client.query<PlanRow>('SELECT * FROM plan_items WHERE id = $1 FOR UPDATE', [id])).rows[0];
      assertCurrentVersion(current, expectedVersion, `plan-item/${id}`);
      const revised = revisedPlanItem(toPlanItem(current as PlanRow), input, actor, this.now());
      const { rows } = await client.query<PlanRow>(
        `UPDATE plan_items SET year = $1, category = $2, method = $3, quarters = $4, planned_batches = $5, stages = $6, reason = $7,
                campaign_id = $8, nomination = $9, updated_by = $11, updated_at = $12, version = $13
         WHERE id = $10 RETURNING *`,
        [...planValues(revised), id, revised.updatedBy, revised.updatedAt, revised.version],
      );
      return toPlanItem(rows[0] as PlanRow);
    });
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    await transaction(this.pool, async (client) => {
      const current = (
        await client.query<{ version: number }>('SELECT version FROM plan_items WHERE id = $1 FOR UPDATE', [id])
      ).rows[0];
      assertCurrentVersion(current, expectedVersion, `plan-item/${id}`);
      await client.query('DELETE FROM plan_items WHERE id = $1', [id]);
    });
  }

  async listNominationDecisions(campaignId: string): Promise<NominationDecision[]> {
    return (
      await query<DecisionRow>(
        this.pool,
        'SELECT * FROM nomination_decisions WHERE campaign_id = $1 ORDER BY position',
        [campaignId],
      )
    ).rows.map(toDecision);
  }

  setNominationDecision: Plan['setNominationDecision'] = (campaignId, nomination, version, declinedReason, actor) =>
    transaction(this.pool, async (client) => {
      const existing = (
        await client.query<{ version: number }>(
          'SELECT version FROM nomination_decisions WHERE campaign_id = $1 AND nomination = $2 FOR UPDATE',
          [campaignId, nomination],
        )
      ).rows[0];
      assertDecisionVersion(existing, version, `nomination/${nomination}`);
      if (declinedReason === null) {
        await client.query('DELETE FROM nomination_decisions WHERE campaign_id = $1 AND nomination = $2', [
          campaignId,
          nomination,
        ]);
        return null;
      }
      const decision = nominationDecisionRecord(campaignId, nomination, declinedReason, actor, this.now(), version);
      const { rowCount } = await client.query(
        `INSERT INTO nomination_decisions (campaign_id, nomination, declined_reason, decided_by, decided_at, version)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (campaign_id, nomination) DO UPDATE SET declined_reason = $3, decided_by = $4, decided_at = $5, version = $6
         WHERE nomination_decisions.version = $7`,
        [
          decision.campaignId,
          decision.nomination,
          decision.declinedReason,
          decision.decidedBy,
          decision.decidedAt,
          decision.version,
          version,
        ],
      );
      if (!rowCount) throw new VersionConflictError(`nomination/${nomination}`);
      return decision;
    });
}

export class PgOutcomes implements Outcomes {
  constructor(
    readonly pool: pg.Pool,
    readonly now: () => Date,
  ) {}

  async list(): Promise<OutcomePublication[]> {
    const { rows } = await query<{ campaign_id: string; published_at: string; published_by: string }>(
      this.pool,
      'SELECT * FROM outcome_publications ORDER BY position',
    );
    return rows.map((row) => ({
      campaignId: row.campaign_id,
      publishedAt: row.published_at,
      publishedBy: row.published_by,
    }));
  }

  setPublished(campaignId: string, published: boolean, actor: string): Promise<OutcomePublication | null> {
    return transaction(this.pool, async (client) => {
      await client.query('DELETE FROM outcome_publications WHERE campaign_id = $1', [campaignId]);
      if (!published) return null;
      const publication = outcomePublicationRecord(campaignId, actor, this.now());
      await client.query(
        'INSERT INTO outcome_publications (campaign_id, published_at, published_by) VALUES ($1, $2, $3)',
        [publication.campaignId, publication.publishedAt, publication.publishedBy],
      );
      return publication;
    });
  }
}

function planValues(item: PlanItemInput): unknown[] {
  return [
    item.year,
    item.category,
    item.method,
    JSON.stringify(item.quarters),
    item.plannedBatches,
    JSON.stringify(item.stages),
    item.reason,
    item.campaignId,
    item.nomination,
  ];
}
