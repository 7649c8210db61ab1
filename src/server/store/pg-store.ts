/**
 * The PostgreSQL implementation of Store, chosen when DATABASE_URL is set: several portal
 * processes on several machines share one database, so there is no single-writer lock here.
 *
 * - Ballots and tallies: `pg/ballots.ts` (writer in `pg/ballot-writer.ts`, counters in
 *   `pg/tally-rows.ts`, live changes across processes by LISTEN/NOTIFY in `pg/tally-notify.ts`).
 * - Events, kiosks, secrets: `pg/events-kiosks.ts`. Staff side: `pg/staff.ts`.
 * - Publications, attachments, API tokens: `pg/publications.ts` (content changes heard by every
 *   process through LISTEN/NOTIFY). Spreadsheets waiting for a column mapping: `pg/pending-uploads.ts`.
 * - Schema: `pg/migrations.ts`, applied at open.
 * - Secrets: the device-cookie secret (unless DEVICE_COOKIE_SECRET is set) and the address key of
 *   the day live in the database, so every process signs and hashes alike.
 */
import type pg from 'pg';
import { serverClock } from '~/server/clock';
import { BallotWriter } from './pg/ballot-writer';
import { PgBallots, PgTallies } from './pg/ballots';
import { createPool, query } from './pg/db';
import { PgEvents, PgKiosks, PgSecrets, sharedSecret } from './pg/events-kiosks';
import { migrate } from './pg/migrations';
import { PgSetAsides } from './pg/set-asides';
import { PgPendingUploads } from './pg/pending-uploads';
import { PgApiTokens, PgAttachments, PgPublications } from './pg/publications';
import { PgAuditLog, PgModeration, PgOutcomes, PgPlan, PgSessions, PgStaffAccounts } from './pg/staff';
import { TallyNotifier } from './pg/tally-notify';
import { StoreUnavailableError, type Store } from './store';

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

export class PgStore implements Store {
  readonly start: PgStartReport;
  readonly ballots: PgBallots;
  readonly tallies: PgTallies;
  readonly events: PgEvents;
  readonly kiosks: PgKiosks;
  readonly secrets: PgSecrets;
  readonly staff: PgStaffAccounts;
  readonly sessions: PgSessions;
  readonly audit: PgAuditLog;
  readonly moderation: PgModeration;
  readonly plan: PgPlan;
  readonly outcomes: PgOutcomes;
  readonly setAsides: PgSetAsides;
  readonly publications: PgPublications;
  readonly attachments: PgAttachments;
  readonly pendingUploads: PgPendingUploads;
  readonly apiTokens: PgApiTokens;
  readonly #pool: pg.Pool;
  readonly #notifier: TallyNotifier;
  readonly #timer: NodeJS.Timeout;
  #closed = false;

  private constructor(init: { pool: pg.Pool; options: PgStoreOptions; deviceSecret: Buffer; start: PgStartReport }) {
    const pool = init.pool;
    const now = init.options.now ?? serverClock.now;
    const log = init.options.log ?? ((message: string) => console.warn(message));
    this.#pool = pool;
    this.start = init.start;
    this.tallies = new PgTallies(pool);
    this.#notifier = new TallyNotifier({
      pool,
      connectionString: init.options.connectionString,
      emit: (campaignId) => this.tallies.changed(campaignId),
      allCampaigns: async () =>
        (await query<{ campaign_id: string }>(pool, 'SELECT DISTINCT campaign_id FROM tally_latest')).rows.map(
          (row) => row.campaign_id,
        ),
      log,
    });
    const writer = new BallotWriter({
      pool,
      maxInFlight: Math.max(1, Math.floor((init.options.poolSize ?? 10) / 2)),
      committed: (campaignIds) => this.#notifier.changed(campaignIds),
    });
    this.ballots = new PgBallots(pool, writer, now);
    this.events = new PgEvents(pool, now);
    this.kiosks = new PgKiosks(pool, this.events, now, log);
    this.secrets = new PgSecrets(pool, init.deviceSecret);
    this.staff = new PgStaffAccounts(pool, now);
    this.sessions = new PgSessions(pool);
    this.audit = new PgAuditLog(pool, now);
    this.moderation = new PgModeration(pool, now);
    this.plan = new PgPlan(pool, now);
    this.outcomes = new PgOutcomes(pool, now);
    this.setAsides = new PgSetAsides(pool, now);
    this.publications = new PgPublications({ pool, connectionString: init.options.connectionString, now, log });
    this.attachments = new PgAttachments(pool);
    this.pendingUploads = new PgPendingUploads(pool, now);
    this.apiTokens = new PgApiTokens(pool, now);
    // Rotates the address key (deleting yesterday's hashes) even when nobody votes after midnight.
    this.#timer = setInterval(() => {
      this.secrets.addressKeyOfDay(now()).catch((error: Error) => log(`地址密钥轮换失败：${error.message}`));
    }, 10 * 60_000);
    this.#timer.unref();
  }

  /** Connects, migrates the schema (safe from several processes at once) and starts listening. */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const started = performance.now();
    const log = options.log ?? ((message: string) => console.warn(message));
    const pool = createPool({
      connectionString: options.connectionString,
      size: options.poolSize ?? 10,
      applicationName: options.command,
      log,
    });
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
      const deviceSecret = options.deviceCookieSecret
        ? Buffer.from(options.deviceCookieSecret, 'utf8')
        : await sharedSecret(pool, 'device-cookie');
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
      try {
        await store.#notifier.listen();
        await store.publications.listen();
        await store.secrets.addressKeyOfDay((options.now ?? serverClock.now)());
      } catch (error) {
        // The listening connections are not in the pool: a failed start must close them too.
        await store.close().catch(() => undefined);
        throw error;
      }
      return store;
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  /** Finishes the ballots in flight, sends pending notifications and closes the connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.ballots.close();
    await this.#notifier.close();
    await this.publications.close();
    await this.#pool.end();
  }
}
