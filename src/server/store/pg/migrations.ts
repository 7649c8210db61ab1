/**
 * The PostgreSQL schema, as numbered migrations applied in order at start. Each runs in its own
 * transaction and is recorded in `schema_migrations`; a session-level advisory lock around the whole
 * run lets several portal processes start at once: the first migrates, the others wait and find
 * nothing left to do. Never edit a migration that has shipped: add the next one.
 *
 * Text columns compared as strings (times, tally keys) use COLLATE "C", so PostgreSQL orders them
 * exactly as JavaScript compares strings whatever the database's locale.
 */
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ballots, tallies, events, kiosks, staff side',
    sql: `
      CREATE TABLE ballots (
        id text PRIMARY KEY,
        -- Commit-safe cursor for readers that follow the ballots: (tx, seq) of finished transactions only.
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        seq bigserial NOT NULL,
        campaign_id text NOT NULL,
        choices jsonb NOT NULL,
        write_ins jsonb NOT NULL,
        district text,
        event text,
        event_type text,
        channel text NOT NULL,
        kiosk_id text,
        created_at text COLLATE "C" NOT NULL,
        device_hash text NOT NULL,
        -- The device hash when this ballot is the device's one ballot of the campaign, else null:
        -- the unique index makes "one ballot per device" hold across every portal process.
        device_key text
      );
      CREATE UNIQUE INDEX ballots_one_per_device ON ballots (campaign_id, device_key);
      CREATE INDEX ballots_follow ON ballots (tx, seq);
      CREATE INDEX ballots_with_write_ins ON ballots (campaign_id, seq) WHERE write_ins <> '[]'::jsonb;

      -- Running tallies: counters per (campaign, dimension, key), split into shards so that concurrent
      -- ballot transactions rarely wait for each other's row locks. A read sums a few rows per key.
      CREATE TABLE tally_counts (
        campaign_id text NOT NULL,
        dimension text NOT NULL,
        key text COLLATE "C" NOT NULL,
        shard smallint NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (campaign_id, dimension, key, shard)
      );
      CREATE TABLE tally_latest (
        campaign_id text NOT NULL,
        shard smallint NOT NULL,
        updated_at text COLLATE "C" NOT NULL,
        PRIMARY KEY (campaign_id, shard)
      );

      -- Address hashes of the current UTC day only, deleted with that day's key.
      CREATE TABLE address_review (
        seq bigserial PRIMARY KEY,
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        day text NOT NULL,
        ballot_id text NOT NULL,
        campaign_id text NOT NULL,
        address_hash text NOT NULL
      );
      CREATE INDEX address_review_follow ON address_review (day, tx, seq);
      CREATE TABLE address_keys (day text PRIMARY KEY, key bytea NOT NULL);
      CREATE TABLE secrets (name text PRIMARY KEY, value bytea NOT NULL);
      CREATE TABLE settings (key text PRIMARY KEY, value jsonb NOT NULL);

      CREATE TABLE events (
        code text PRIMARY KEY,
        position bigserial NOT NULL,
        campaign_id text NOT NULL,
        type text NOT NULL,
        name text NOT NULL,
        place text NOT NULL,
        date text NOT NULL,
        active_from text NOT NULL,
        active_until text NOT NULL,
        created_at text NOT NULL
      );
      CREATE TABLE kiosks (
        id text PRIMARY KEY,
        position bigserial NOT NULL,
        event_code text NOT NULL REFERENCES events (code),
        campaign_id text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at text NOT NULL,
        revoked_at text
      );
      -- Last accepted ballot per kiosk, so the minimum interval holds across processes.
      CREATE TABLE kiosk_pacing (kiosk_id text PRIMARY KEY, last_ms bigint NOT NULL);
      CREATE TABLE write_in_decisions (
        ballot_id text NOT NULL,
        index integer NOT NULL,
        status text NOT NULL,
        decided_at text NOT NULL,
        PRIMARY KEY (ballot_id, index)
      );

      CREATE TABLE staff_users (
        id text PRIMARY KEY,
        position bigserial NOT NULL,
        username text NOT NULL UNIQUE,
        role text NOT NULL,
        password_hash text NOT NULL,
        created_at text NOT NULL,
        password_changed_at text NOT NULL,
        disabled_at text,
        version integer NOT NULL
      );
      CREATE TABLE staff_sessions (
        id_hash text PRIMARY KEY,
        user_id text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        last_seen_at text COLLATE "C" NOT NULL
      );
      CREATE TABLE audit_log (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        at text NOT NULL,
        actor text,
        action text NOT NULL,
        target text,
        outcome text NOT NULL,
        detail text
      );
      CREATE TABLE write_in_moderation (
        campaign_id text NOT NULL,
        key text NOT NULL,
        position bigserial NOT NULL,
        status text NOT NULL,
        reason text,
        merged_into jsonb,
        decided_by text NOT NULL,
        decided_at text NOT NULL,
        version integer NOT NULL,
        PRIMARY KEY (campaign_id, key)
      );
      CREATE TABLE plan_items (
        id text PRIMARY KEY,
        position bigserial NOT NULL,
        year integer NOT NULL,
        category text NOT NULL,
        method text NOT NULL,
        quarters jsonb NOT NULL,
        planned_batches integer,
        stages jsonb NOT NULL,
        reason text NOT NULL,
        campaign_id text NOT NULL,
        nomination text NOT NULL,
        created_by text NOT NULL,
        created_at text NOT NULL,
        updated_by text NOT NULL,
        updated_at text NOT NULL,
        version integer NOT NULL
      );
      CREATE TABLE nomination_decisions (
        campaign_id text NOT NULL,
        nomination text NOT NULL,
        position bigserial NOT NULL,
        declined_reason text NOT NULL,
        decided_by text NOT NULL,
        decided_at text NOT NULL,
        version integer NOT NULL,
        PRIMARY KEY (campaign_id, nomination)
      );
      CREATE TABLE outcome_publications (
        campaign_id text PRIMARY KEY,
        position bigserial NOT NULL,
        published_at text NOT NULL,
        published_by text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'drop write_in_decisions (write-in moderation lives in write_in_moderation)',
    sql: `DROP TABLE write_in_decisions;`,
  },
  {
    version: 3,
    name: 'publications, attachments, API tokens, content version',
    sql: `
      -- The record as the port hands it over (json keeps its key order, for exports); the columns
      -- beside it are what the store looks up, orders and filters by, written from the same record.
      CREATE TABLE publications (
        id text PRIMARY KEY,
        kind text NOT NULL,
        slug text NOT NULL,
        version integer NOT NULL,
        updated_at text COLLATE "C" NOT NULL,
        has_public_face boolean NOT NULL,
        due_at timestamptz,
        record json NOT NULL,
        UNIQUE (kind, slug)
      );
      CREATE INDEX publications_newest_change ON publications (updated_at DESC, id COLLATE "C" DESC);
      CREATE INDEX publications_due ON publications (due_at) WHERE due_at IS NOT NULL;
      -- One row: advanced in the transaction of each public change, so it counts exactly those.
      CREATE TABLE content_version (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        version bigint NOT NULL
      );
      INSERT INTO content_version (version) VALUES (0);
      CREATE TABLE attachments (
        id text PRIMARY KEY,
        ref json NOT NULL,
        content bytea NOT NULL
      );
      CREATE TABLE api_tokens (
        id text PRIMARY KEY,
        position bigserial NOT NULL,
        name text NOT NULL,
        scopes jsonb NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        created_at text NOT NULL,
        created_by text NOT NULL,
        last_used_at text,
        revoked_at text
      );
    `,
  },
  {
    version: 4,
    name: 'ballot_set_asides (flagged ballots taken out of the official count)',
    sql: `
      CREATE TABLE ballot_set_asides (
        id text PRIMARY KEY,
        position bigserial NOT NULL,
        campaign_id text NOT NULL,
        record jsonb NOT NULL,
        version integer NOT NULL
      );
      CREATE INDEX ballot_set_asides_campaign ON ballot_set_asides (campaign_id, position);
    `,
  },
  {
    version: 5,
    name: 'tally_counts: candidate votes per outreach event (dimension eventCandidate), counted from the ballots so far',
    sql: `
      INSERT INTO tally_counts (campaign_id, dimension, key, shard, count)
      SELECT campaign_id, 'eventCandidate', event || E'\\t' || choice, 0, count(*)
      FROM ballots CROSS JOIN LATERAL jsonb_array_elements_text(choices) AS choice
      WHERE event IS NOT NULL
      GROUP BY campaign_id, event, choice
      ON CONFLICT (campaign_id, dimension, key, shard) DO UPDATE SET count = tally_counts.count + EXCLUDED.count;
    `,
  },
  {
    version: 6,
    name: 'publications.in_review_since: the review queue reads the drafts awaiting review, not every item',
    sql: `
      -- Filled by the store from lib/publishing/records reviewQueueAt; rows written before are
      -- filled here by the same rule (submitted time, else the last change).
      ALTER TABLE publications ADD COLUMN in_review_since timestamptz;
      UPDATE publications
      SET in_review_since = COALESCE(record->'draft'->>'submittedAt', updated_at)::timestamptz
      WHERE record->'draft'->>'stage' = 'in_review';
      CREATE INDEX publications_in_review ON publications (in_review_since, id COLLATE "C")
        WHERE in_review_since IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'pending_uploads: spreadsheets waiting for their column mapping, shared by every process',
    sql: `
      CREATE TABLE pending_uploads (
        id text PRIMARY KEY,
        owner text NOT NULL,
        expires_at timestamptz NOT NULL,
        record json NOT NULL,
        content bytea NOT NULL
      );
      CREATE INDEX pending_uploads_owner ON pending_uploads (owner);
      CREATE INDEX pending_uploads_expiry ON pending_uploads (expires_at);
    `,
  },
];

/** Key of the advisory lock held while migrating. */
const MIGRATION_LOCK = 'portal:schema_migrations';

/** Applies the migrations this database lacks; returns the versions applied now. */
export async function migrate(client: pg.ClientBase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version),
    );
    const newest = Math.max(0, ...done);
    const known = Math.max(0, ...migrations.map((migration) => migration.version));
    if (newest > known) {
      throw new Error(`数据库的结构版本（${newest}）比本程序认识的（${known}）新：请使用新版本的门户程序。`);
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`数据库迁移 ${migration.version}（${migration.name}）失败：${(error as Error).message}`, {
          cause: error,
        });
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
  }
}

/** Tables holding portal data (not schema_migrations), for emptiness checks and counts. */
export const DATA_TABLES = [
  'ballots',
  'tally_counts',
  'tally_latest',
  'address_review',
  'address_keys',
  'secrets',
  'settings',
  'events',
  'kiosks',
  'kiosk_pacing',
  'staff_users',
  'staff_sessions',
  'audit_log',
  'write_in_moderation',
  'plan_items',
  'nomination_decisions',
  'outcome_publications',
  'ballot_set_asides',
  'publications',
  'attachments',
  'pending_uploads',
  'api_tokens',
] as const;
