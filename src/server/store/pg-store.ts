/**
 * The PostgreSQL implementation of VotingStore, chosen when DATABASE_URL is set: several portal
 * processes on several machines share one database, so there is no single-writer lock here.
 *
 * - Ballots: `pg/ballot-writer.ts` (batched, acknowledged after COMMIT, one per device by a unique
 *   index, tally counters updated in the same statement).
 * - Tallies: summed from the counter rows (`pg/tally-rows.ts`); reading never scans the ballots.
 * - Live tallies across processes: LISTEN/NOTIFY (`pg/tally-notify.ts`).
 * - Staff side: `pg/staff.ts`. Schema: `pg/migrations.ts`, applied at open.
 * - Secrets: the device-cookie secret (unless DEVICE_COOKIE_SECRET is set) and the address key of
 *   the day live in the database, so every process signs and hashes alike.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { eventCodeFromBytes } from '../../lib/voting/event-code';
import type { CampaignTally, Channel, EventType } from '../../lib/voting/tally';
import type { WriteIn } from '../../lib/voting/ballot-rules';
import { utcDay } from './keys';
import { BallotWriter } from './pg/ballot-writer';
import { createPool, query, transaction } from './pg/db';
import { migrate } from './pg/migrations';
import { PgStaff } from './pg/staff';
import { tallyFromRows } from './pg/tally-rows';
import { TallyNotifier } from './pg/tally-notify';
import {
  StoreUnavailableError,
  type AddressReviewEntry,
  type AppendOutcome,
  type Ballot,
  type Kiosk,
  type KioskSlot,
  type NewBallot,
  type NewOutreachEvent,
  type OutreachEvent,
  type StaffStore,
  type VotingStore,
  type WriteInEntry,
  type WriteInStatus,
} from './store';

export interface PgStoreOptions {
  connectionString: string;
  /** Connections of this process (ballot batches in flight use up to half of them). */
  poolSize?: number;
  /** Who connects, shown in pg_stat_activity. */
  command: string;
  deviceCookieSecret?: string | undefined;
  now?: () => Date;
  log?: (message: string) => void;
}

export interface PgStartReport {
  appliedMigrations: number[];
  schemaVersion: number;
  ballots: number;
  milliseconds: number;
}

interface BallotRow {
  id: string;
  tx_text: string;
  seq: number;
  campaign_id: string;
  choices: string[];
  write_ins: WriteIn[];
  district: string | null;
  event: string | null;
  event_type: EventType | null;
  channel: Channel;
  kiosk_id: string | null;
  created_at: string;
  device_hash: string;
}

const toBallot = (row: BallotRow): Ballot => ({
  id: row.id,
  campaignId: row.campaign_id,
  choices: row.choices,
  writeIns: row.write_ins,
  district: row.district,
  event: row.event,
  eventType: row.event_type,
  channel: row.channel,
  kioskId: row.kiosk_id,
  createdAt: row.created_at,
  deviceHash: row.device_hash,
});

interface EventRow {
  code: string;
  campaign_id: string;
  type: EventType;
  name: string;
  place: string;
  date: string;
  active_from: string;
  active_until: string;
  created_at: string;
}

const toEvent = (row: EventRow): OutreachEvent => ({
  code: row.code,
  campaignId: row.campaign_id,
  type: row.type,
  name: row.name,
  place: row.place,
  date: row.date,
  activeFrom: row.active_from,
  activeUntil: row.active_until,
  createdAt: row.created_at,
});

interface KioskRow {
  id: string;
  event_code: string;
  campaign_id: string;
  created_at: string;
  revoked_at: string | null;
}

const toKiosk = (row: KioskRow): Kiosk => ({
  id: row.id,
  eventCode: row.event_code,
  campaignId: row.campaign_id,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** Rows of transactions that have not finished yet are never read past: see readBallotsSince. */
const FINISHED = 'tx < pg_snapshot_xmin(pg_current_snapshot())';

function parseCursor(cursor: string | null, what: string): { tx: string; seq: number } {
  if (cursor === null || cursor === '') return { tx: '0', seq: 0 };
  const match = /^(\d{1,20}):(\d{1,18})$/.exec(cursor);
  if (!match) throw new Error(`无效的${what}游标：${cursor}`);
  return { tx: match[1] as string, seq: Number(match[2]) };
}

export class PgStore implements VotingStore {
  readonly start: PgStartReport;
  readonly #pool: pg.Pool;
  readonly #writer: BallotWriter;
  readonly #notifier: TallyNotifier;
  readonly #staff: PgStaff;
  readonly #emitter = new EventEmitter();
  readonly #deviceSecret: Buffer;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #timer: NodeJS.Timeout;
  readonly #tallyGenerations = new Map<string, number>();
  readonly #tallyReads = new Map<string, { generation: number; read: Promise<CampaignTally> }>();
  #addressKey: { day: string; key: Buffer } | null = null;
  #closed = false;

  private constructor(init: { pool: pg.Pool; options: PgStoreOptions; deviceSecret: Buffer; start: PgStartReport }) {
    this.#pool = init.pool;
    this.#deviceSecret = init.deviceSecret;
    this.#now = init.options.now ?? (() => new Date());
    this.#log = init.options.log ?? ((message) => console.warn(message));
    this.start = init.start;
    this.#staff = new PgStaff(this.#pool, this.#now);
    this.#emitter.setMaxListeners(0);
    this.#notifier = new TallyNotifier({
      pool: this.#pool,
      connectionString: init.options.connectionString,
      emit: (campaignId) => {
        this.#tallyGenerations.set(campaignId, (this.#tallyGenerations.get(campaignId) ?? 0) + 1);
        this.#emitter.emit('tally', campaignId);
      },
      allCampaigns: async () => (await query<{ campaign_id: string }>(this.#pool, 'SELECT DISTINCT campaign_id FROM tally_latest')).rows.map((row) => row.campaign_id),
      log: this.#log,
    });
    this.#writer = new BallotWriter({
      pool: this.#pool,
      maxInFlight: Math.max(1, Math.floor((init.options.poolSize ?? 10) / 2)),
      committed: (campaignIds) => this.#notifier.changed(campaignIds),
    });
    // Rotates the address key (deleting yesterday's hashes) even when nobody votes after midnight.
    this.#timer = setInterval(() => {
      this.addressKeyOfDay(this.#now()).catch((error: Error) => this.#log(`地址密钥轮换失败：${error.message}`));
    }, 10 * 60_000);
    this.#timer.unref();
  }

  /** Connects, migrates the schema (safe from several processes at once) and starts listening. */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const started = performance.now();
    const log = options.log ?? ((message: string) => console.warn(message));
    const pool = createPool({ connectionString: options.connectionString, size: options.poolSize ?? 10, applicationName: options.command, log });
    try {
      const client = await pool.connect().catch((error: Error) => {
        throw new StoreUnavailableError(`无法连接数据库（DATABASE_URL）：${error.message}`, { cause: error });
      });
      let appliedMigrations: number[];
      try {
        appliedMigrations = await migrate(client);
      } finally {
        client.release();
      }
      const deviceSecret = options.deviceCookieSecret ? Buffer.from(options.deviceCookieSecret, 'utf8') : await sharedSecret(pool, 'device-cookie');
      const { rows } = await query<{ version: number; ballots: number }>(
        pool,
        `SELECT (SELECT max(version) FROM schema_migrations) AS version,
                (SELECT coalesce(sum(count), 0) FROM tally_counts WHERE dimension = 'total') AS ballots`,
      );
      const store = new PgStore({
        pool,
        options,
        deviceSecret,
        start: {
          appliedMigrations,
          schemaVersion: rows[0]?.version ?? 0,
          ballots: rows[0]?.ballots ?? 0,
          milliseconds: Math.round(performance.now() - started),
        },
      });
      await store.#notifier.listen();
      await store.addressKeyOfDay(store.#now());
      return store;
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  appendBallot(ballot: NewBallot, options: { onePerDevice: boolean }): Promise<AppendOutcome> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError('存储已关闭'));
    return this.#writer.append(ballot, options.onePerDevice);
  }

  async ballotOfDevice(campaignId: string, deviceHash: string): Promise<string | null> {
    const { rows } = await query<{ id: string }>(this.#pool, 'SELECT id FROM ballots WHERE campaign_id = $1 AND device_key = $2', [campaignId, deviceHash]);
    return rows[0]?.id ?? null;
  }

  async getBallot(ballotId: string): Promise<Ballot | null> {
    const { rows } = await query<BallotRow>(this.#pool, 'SELECT * FROM ballots WHERE id = $1', [ballotId]);
    return rows[0] ? toBallot(rows[0]) : null;
  }

  /**
   * Reads of one campaign's tally that start while an equally fresh read is in flight share it: after
   * each batch every waiting request wants the new tally at once, and one query answers them all.
   * "Equally fresh" means no change (local commit or NOTIFY) was announced since that read began.
   */
  async getTally(campaignId: string): Promise<CampaignTally> {
    const generation = this.#tallyGenerations.get(campaignId) ?? 0;
    let shared = this.#tallyReads.get(campaignId);
    if (!shared || shared.generation !== generation) {
      const entry = { generation, read: this.#readTally(campaignId) };
      this.#tallyReads.set(campaignId, entry);
      const forget = () => {
        if (this.#tallyReads.get(campaignId) === entry) this.#tallyReads.delete(campaignId);
      };
      entry.read.then(forget, forget);
      shared = entry;
    }
    return structuredClone(await shared.read);
  }

  async #readTally(campaignId: string): Promise<CampaignTally> {
    const { rows } = await query<{ dimension: string; key: string; count: number }>(
      this.#pool,
      `SELECT dimension, key, sum(count)::bigint AS count FROM tally_counts WHERE campaign_id = $1 GROUP BY dimension, key
       UNION ALL
       SELECT 'updatedAt', max(updated_at), 0 FROM tally_latest WHERE campaign_id = $1`,
      [campaignId],
    );
    const updatedAt = rows.find((row) => row.dimension === 'updatedAt')?.key ?? null;
    return tallyFromRows(
      rows.filter((row) => row.dimension !== 'updatedAt'),
      updatedAt,
    );
  }

  onTallyChange(listener: (campaignId: string) => void): () => void {
    this.#emitter.on('tally', listener);
    return () => this.#emitter.off('tally', listener);
  }

  async listWriteIns(campaignId: string): Promise<WriteInEntry[]> {
    const [ballots, decisions] = await Promise.all([
      query<{ id: string; write_ins: WriteIn[]; created_at: string }>(
        this.#pool,
        `SELECT id, write_ins, created_at FROM ballots WHERE campaign_id = $1 AND write_ins <> '[]'::jsonb ORDER BY seq`,
        [campaignId],
      ),
      query<{ ballot_id: string; index: number; status: WriteInStatus }>(
        this.#pool,
        'SELECT d.ballot_id, d.index, d.status FROM write_in_decisions d JOIN ballots b ON b.id = d.ballot_id WHERE b.campaign_id = $1',
        [campaignId],
      ),
    ]);
    const statusOf = new Map(decisions.rows.map((row) => [`${row.ballot_id}#${row.index}`, row.status]));
    return ballots.rows.flatMap((row) =>
      row.write_ins.map((writeIn, index) => ({
        ...writeIn,
        ballotId: row.id,
        index,
        createdAt: row.created_at,
        status: statusOf.get(`${row.id}#${index}`) ?? 'pending',
      })),
    );
  }

  async setWriteInStatus(ballotId: string, index: number, status: Exclude<WriteInStatus, 'pending'>): Promise<void> {
    const ballot = await this.getBallot(ballotId);
    if (!ballot || !ballot.writeIns[index]) throw new Error(`没有这条自填建议：${ballotId}#${index}`);
    await query(
      this.#pool,
      `INSERT INTO write_in_decisions (ballot_id, index, status, decided_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (ballot_id, index) DO UPDATE SET status = excluded.status, decided_at = excluded.decided_at`,
      [ballotId, index, status, this.#now().toISOString()],
    );
  }

  async createEvent(event: NewOutreachEvent): Promise<OutreachEvent> {
    const createdAt = this.#now().toISOString();
    for (;;) {
      const code = eventCodeFromBytes(randomBytes(6));
      const { rows } = await query<EventRow>(
        this.#pool,
        `INSERT INTO events (code, campaign_id, type, name, place, date, active_from, active_until, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING RETURNING *`,
        [code, event.campaignId, event.type, event.name, event.place, event.date, event.activeFrom, event.activeUntil, createdAt],
      );
      if (rows[0]) return toEvent(rows[0]);
    }
  }

  async getEvent(code: string): Promise<OutreachEvent | null> {
    const { rows } = await query<EventRow>(this.#pool, 'SELECT * FROM events WHERE code = $1', [code]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async listEvents(campaignId?: string): Promise<OutreachEvent[]> {
    const { rows } = await query<EventRow>(this.#pool, 'SELECT * FROM events WHERE $1::text IS NULL OR campaign_id = $1 ORDER BY position', [
      campaignId ?? null,
    ]);
    return rows.map(toEvent);
  }

  async createKiosk(eventCode: string): Promise<{ kiosk: Kiosk; token: string }> {
    const event = await this.getEvent(eventCode);
    if (!event) throw new Error(`没有活动码为 ${eventCode} 的活动`);
    const token = randomBytes(24).toString('base64url');
    const kiosk: Kiosk = {
      id: `k_${randomBytes(6).toString('base64url')}`,
      eventCode,
      campaignId: event.campaignId,
      createdAt: this.#now().toISOString(),
      revokedAt: null,
    };
    await query(this.#pool, 'INSERT INTO kiosks (id, event_code, campaign_id, token_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, NULL)', [
      kiosk.id,
      eventCode,
      kiosk.campaignId,
      hashToken(token),
      kiosk.createdAt,
    ]);
    return { kiosk, token };
  }

  async kioskByToken(token: string): Promise<Kiosk | null> {
    const { rows } = await query<KioskRow>(this.#pool, 'SELECT * FROM kiosks WHERE token_hash = $1 AND revoked_at IS NULL', [hashToken(token)]);
    return rows[0] ? toKiosk(rows[0]) : null;
  }

  async claimKioskSlot(kioskId: string, now: Date, minIntervalSeconds: number): Promise<KioskSlot> {
    const nowMs = now.getTime();
    const intervalMs = minIntervalSeconds * 1000;
    // Takes the turn only if the kiosk's last accepted ballot (in any process) is old enough.
    const { rows } = await query<{ last_ms: number; claimed: boolean }>(
      this.#pool,
      `WITH claimed AS (
         INSERT INTO kiosk_pacing (kiosk_id, last_ms) VALUES ($1, $2)
         ON CONFLICT (kiosk_id) DO UPDATE SET last_ms = excluded.last_ms WHERE kiosk_pacing.last_ms <= $2 - $3
         RETURNING last_ms
       )
       SELECT last_ms, true AS claimed FROM claimed
       UNION ALL
       SELECT last_ms, false FROM kiosk_pacing WHERE kiosk_id = $1 AND NOT EXISTS (SELECT 1 FROM claimed)`,
      [kioskId, nowMs, intervalMs],
    );
    const row = rows[0];
    if (row?.claimed) {
      return {
        allowed: true,
        // The turn taken was the only one in the interval: giving it back means forgetting it.
        release: () => {
          query(this.#pool, 'DELETE FROM kiosk_pacing WHERE kiosk_id = $1 AND last_ms = $2', [kioskId, nowMs]).catch((error: Error) =>
            this.#log(`现场投票设备节奏记录撤回失败：${error.message}`),
          );
        },
      };
    }
    const waitMs = row ? intervalMs - (nowMs - row.last_ms) : intervalMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  async deviceCookieSecret(): Promise<Buffer> {
    return this.#deviceSecret;
  }

  async addressKeyOfDay(now: Date): Promise<{ day: string; key: Buffer }> {
    const day = utcDay(now);
    if (this.#addressKey?.day === day) return this.#addressKey;
    const key = await transaction(this.#pool, async (client) => {
      await client.query('INSERT INTO address_keys (day, key) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING', [day, randomBytes(32)]);
      const { rows } = await client.query<{ key: Buffer }>('SELECT key FROM address_keys WHERE day = $1', [day]);
      // Older days go with their hashes: yesterday's address hashes can no longer be linked to anyone.
      await client.query('DELETE FROM address_keys WHERE day < $1', [day]);
      await client.query('DELETE FROM address_review WHERE day < $1', [day]);
      return (rows[0] as { key: Buffer }).key;
    });
    this.#addressKey = { day, key };
    return this.#addressKey;
  }

  /**
   * Ballots in (transaction id, sequence) order, only from transactions that have finished: a
   * sequence number is taken at insert but becomes visible at commit, so reading by sequence alone
   * could step past a ballot still being committed and never return to it.
   */
  async readBallotsSince(cursor: string | null, limit: number): Promise<{ ballots: Ballot[]; cursor: string }> {
    const from = parseCursor(cursor, '选票');
    const { rows } = await query<BallotRow>(
      this.#pool,
      `SELECT *, tx::text AS tx_text FROM ballots WHERE (tx, seq) > ($1::xid8, $2::bigint) AND ${FINISHED} ORDER BY tx, seq LIMIT $3`,
      [from.tx, from.seq, limit],
    );
    const last = rows.at(-1);
    return { ballots: rows.map(toBallot), cursor: last ? `${last.tx_text}:${last.seq}` : `${from.tx}:${from.seq}` };
  }

  async readAddressReviewSince(cursor: string | null): Promise<{ entries: AddressReviewEntry[]; cursor: string }> {
    const day = utcDay(this.#now());
    const [cursorDay, position = null] = (cursor ?? '').split('@');
    const from = parseCursor(cursorDay === day ? position : null, '地址复核');
    const { rows } = await query<{ tx: string; seq: number; ballot_id: string; campaign_id: string; address_hash: string }>(
      this.#pool,
      `SELECT tx::text AS tx, seq, ballot_id, campaign_id, address_hash FROM address_review
       WHERE day = $1 AND (tx, seq) > ($2::xid8, $3::bigint) AND ${FINISHED} ORDER BY tx, seq`,
      [day, from.tx, from.seq],
    );
    const last = rows.at(-1);
    return {
      entries: rows.map((row) => ({ ballotId: row.ballot_id, campaignId: row.campaign_id, addressHash: row.address_hash })),
      cursor: `${day}@${last ? `${last.tx}:${last.seq}` : `${from.tx}:${from.seq}`}`,
    };
  }

  // Staff side (StaffStore): tables and transactions in pg/staff.ts.
  listStaff: StaffStore['listStaff'] = () => this.#staff.listStaff();
  getStaffByUsername: StaffStore['getStaffByUsername'] = (username) => this.#staff.getStaffByUsername(username);
  getStaff: StaffStore['getStaff'] = (id) => this.#staff.getStaff(id);
  createStaff: StaffStore['createStaff'] = (user, options) => this.#staff.createStaff(user, options);
  updateStaff: StaffStore['updateStaff'] = (id, version, change) => this.#staff.updateStaff(id, version, change);
  createSession: StaffStore['createSession'] = (session) => this.#staff.createSession(session);
  getSession: StaffStore['getSession'] = (idHash) => this.#staff.getSession(idHash);
  touchSession: StaffStore['touchSession'] = (idHash, at) => this.#staff.touchSession(idHash, at);
  deleteSession: StaffStore['deleteSession'] = (idHash) => this.#staff.deleteSession(idHash);
  pruneSessions: StaffStore['pruneSessions'] = (created, seen) => this.#staff.pruneSessions(created, seen);
  appendAudit: StaffStore['appendAudit'] = (entry) => this.#staff.appendAudit(entry);
  listAudit: StaffStore['listAudit'] = (options) => this.#staff.listAudit(options);
  listWriteInModeration: StaffStore['listWriteInModeration'] = (id) => this.#staff.listWriteInModeration(id);
  moderateWriteIns: StaffStore['moderateWriteIns'] = (id, items, decision, actor) => this.#staff.moderateWriteIns(id, items, decision, actor);
  listPlanItems: StaffStore['listPlanItems'] = (filter) => this.#staff.listPlanItems(filter);
  getPlanItem: StaffStore['getPlanItem'] = (id) => this.#staff.getPlanItem(id);
  createPlanItem: StaffStore['createPlanItem'] = (input, actor) => this.#staff.createPlanItem(input, actor);
  updatePlanItem: StaffStore['updatePlanItem'] = (id, version, input, actor) => this.#staff.updatePlanItem(id, version, input, actor);
  deletePlanItem: StaffStore['deletePlanItem'] = (id, version) => this.#staff.deletePlanItem(id, version);
  listNominationDecisions: StaffStore['listNominationDecisions'] = (id) => this.#staff.listNominationDecisions(id);
  setNominationDecision: StaffStore['setNominationDecision'] = (id, nomination, version, reason, actor) =>
    this.#staff.setNominationDecision(id, nomination, version, reason, actor);
  listOutcomePublications: StaffStore['listOutcomePublications'] = () => this.#staff.listOutcomePublications();
  setOutcomePublished: StaffStore['setOutcomePublished'] = (id, published, actor) => this.#staff.setOutcomePublished(id, published, actor);

  /** Finishes the ballots in flight, sends pending notifications and closes the connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#writer.drain();
    await this.#notifier.close();
    await this.#pool.end();
  }
}

/** A secret shared by every process: created once by whichever process comes first. */
async function sharedSecret(pool: pg.Pool, name: string): Promise<Buffer> {
  await query(pool, 'INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32)]);
  const { rows } = await query<{ value: Buffer }>(pool, 'SELECT value FROM secrets WHERE name = $1', [name]);
  if (!rows[0]) throw new Error(`数据库中缺少密钥 ${name}`);
  return rows[0].value;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
