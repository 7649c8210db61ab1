/**
 * Ballots into PostgreSQL, acknowledged only after COMMIT (synchronous_commit on, so the commit is
 * on disk). Ballots queue while earlier batches are in flight and go in together: one statement
 * per batch inserts the ballots, adds the counts of the ballots that were stored to the tally
 * counters, and records their address hashes — all or nothing. Up to `maxInFlight` batches run at
 * once per process; each adds to one randomly chosen shard of the counters, so concurrent batches
 * (of this process or another) seldom wait for the same counter rows.
 *
 * "One ballot per device" is the unique index on (campaign_id, device_key): a ballot losing the race
 * — in this batch, another batch, or another process — is skipped by ON CONFLICT DO NOTHING and
 * answered with the first ballot's id. Rows go in sorted by device, so two batches never wait for
 * each other in opposite orders; a deadlock that still happens is retried by `transaction`.
 */
import type pg from 'pg';
import { StoreUnavailableError, type AppendOutcome, type Ballot, type NewBallot } from '~/server/store/store';
import { isRetryable, query } from './db';
import { ballotTallyRows } from './tally-rows';

export const TALLY_SHARDS = 16;
const MAX_BATCH = 500;

interface Queued {
  ballot: Ballot;
  addressHash: string;
  deviceKey: string | null;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

const INSERT_BATCH = `
  WITH incoming AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS b(
      ord integer, id text, campaign_id text, choices jsonb, write_ins jsonb, district text, event text,
      event_type text, channel text, kiosk_id text, created_at text, device_hash text, device_key text, address_hash text)
  ),
  inserted AS (
    INSERT INTO ballots (id, campaign_id, choices, write_ins, district, event, event_type, channel, kiosk_id, created_at, device_hash, device_key)
    SELECT id, campaign_id, choices, write_ins, district, event, event_type, channel, kiosk_id, created_at, device_hash, device_key
    FROM incoming ORDER BY ord
    ON CONFLICT (campaign_id, device_key) DO NOTHING
    RETURNING id, campaign_id, created_at
  ),
  deltas AS (
    SELECT r.campaign_id, r.dimension, r.key, sum(r.count)::bigint AS count
    FROM jsonb_to_recordset($2::jsonb) AS r(ballot_id text, campaign_id text, dimension text, key text, count bigint)
    JOIN inserted ON inserted.id = r.ballot_id
    GROUP BY r.campaign_id, r.dimension, r.key
  ),
  counted AS (
    INSERT INTO tally_counts (campaign_id, dimension, key, shard, count)
    SELECT campaign_id, dimension, key, $3, count FROM deltas ORDER BY campaign_id, dimension, key
    ON CONFLICT (campaign_id, dimension, key, shard) DO UPDATE SET count = tally_counts.count + excluded.count
  ),
  latest AS (
    INSERT INTO tally_latest (campaign_id, shard, updated_at)
    SELECT campaign_id, $3, max(created_at) FROM inserted GROUP BY campaign_id ORDER BY campaign_id
    ON CONFLICT (campaign_id, shard) DO UPDATE SET updated_at = GREATEST(tally_latest.updated_at, excluded.updated_at)
  ),
  reviewed AS (
    INSERT INTO address_review (day, ballot_id, campaign_id, address_hash)
    SELECT left(inserted.created_at, 10), inserted.id, inserted.campaign_id, incoming.address_hash
    FROM inserted JOIN incoming USING (id)
  )
  SELECT id FROM inserted`;

export class BallotWriter {
  readonly #pool: pg.Pool;
  readonly #maxInFlight: number;
  readonly #committed: (campaignIds: Set<string>) => void;
  #queue: Queued[] = [];
  #inFlight = 0;
  #idle: (() => void)[] = [];

  constructor(init: { pool: pg.Pool; maxInFlight: number; committed: (campaignIds: Set<string>) => void }) {
    this.#pool = init.pool;
    this.#maxInFlight = init.maxInFlight;
    this.#committed = init.committed;
  }

  append(newBallot: NewBallot, onePerDevice: boolean): Promise<AppendOutcome> {
    const { addressHashOfDay, ...ballot } = newBallot;
    return new Promise<AppendOutcome>((resolve, reject) => {
      this.#queue.push({
        ballot,
        addressHash: addressHashOfDay,
        deviceKey: onePerDevice ? ballot.deviceHash : null,
        resolve,
        reject,
      });
      this.#pump();
    });
  }

  /** Resolves when every queued ballot was committed or refused. */
  async drain(): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      this.#inFlight += 1;
      void this.#write(batch).finally(() => {
        this.#inFlight -= 1;
        this.#pump();
        if (this.#inFlight === 0 && this.#queue.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  async #write(batch: Queued[]): Promise<void> {
    batch.sort(
      (a, b) => compare(a.ballot.campaignId, b.ballot.campaignId) || compare(a.deviceKey ?? '', b.deviceKey ?? ''),
    );
    const rows = batch.map((entry, ord) => ({
      ord,
      id: entry.ballot.id,
      campaign_id: entry.ballot.campaignId,
      choices: entry.ballot.choices,
      write_ins: entry.ballot.writeIns,
      district: entry.ballot.district,
      event: entry.ballot.event,
      event_type: entry.ballot.eventType,
      channel: entry.ballot.channel,
      kiosk_id: entry.ballot.kioskId,
      created_at: entry.ballot.createdAt,
      device_hash: entry.ballot.deviceHash,
      device_key: entry.deviceKey,
      address_hash: entry.addressHash,
    }));
    const counts = batch.flatMap((entry) =>
      ballotTallyRows(entry.ballot).map((row) => ({
        ballot_id: entry.ballot.id,
        campaign_id: entry.ballot.campaignId,
        ...row,
      })),
    );
    const shard = Math.floor(Math.random() * TALLY_SHARDS);
    let stored: Set<string>;
    try {
      // One statement is one transaction: COMMIT has happened (and is durable) when it returns.
      const result = await statementWithRetry(this.#pool, INSERT_BATCH, [
        JSON.stringify(rows),
        JSON.stringify(counts),
        shard,
      ]);
      stored = new Set(result.rows.map((row) => row.id));
    } catch (error) {
      const failure =
        error instanceof StoreUnavailableError
          ? error
          : new StoreUnavailableError(`选票写入数据库失败：${(error as Error).message}`, { cause: error });
      for (const entry of batch) entry.reject(failure);
      return;
    }
    const changed = new Set<string>();
    const skipped: Queued[] = [];
    for (const entry of batch) {
      if (stored.has(entry.ballot.id)) {
        changed.add(entry.ballot.campaignId);
        entry.resolve({ status: 'stored', ballot: entry.ballot });
      } else skipped.push(entry);
    }
    if (changed.size > 0) this.#committed(changed);
    if (skipped.length > 0) await this.#answerDuplicates(skipped);
  }

  /** Ballots skipped by the unique index: each gets the id of its device's first ballot. */
  async #answerDuplicates(skipped: Queued[]): Promise<void> {
    try {
      const { rows } = await query<{ campaign_id: string; device_key: string; id: string }>(
        this.#pool,
        `SELECT campaign_id, device_key, id FROM ballots
         WHERE (campaign_id, device_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [skipped.map((entry) => entry.ballot.campaignId), skipped.map((entry) => entry.deviceKey ?? '')],
      );
      const first = new Map(rows.map((row) => [`${row.campaign_id}\t${row.device_key}`, row.id]));
      for (const entry of skipped) {
        const ballotId = first.get(`${entry.ballot.campaignId}\t${entry.deviceKey ?? ''}`);
        if (ballotId) entry.resolve({ status: 'duplicate', ballotId });
        else entry.reject(new StoreUnavailableError(`选票 ${entry.ballot.id} 未能写入（编号冲突）`));
      }
    } catch (error) {
      for (const entry of skipped)
        entry.reject(
          error instanceof StoreUnavailableError
            ? error
            : new StoreUnavailableError((error as Error).message, { cause: error }),
        );
    }
  }
}

/** Runs one statement (its own transaction), again after a deadlock, which changed nothing. */
async function statementWithRetry(
  pool: pg.Pool,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<{ id: string }>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await query<{ id: string }>(pool, text, values);
    } catch (error) {
      if (!isRetryable(error) || attempt >= 5) throw error;
    }
  }
}

/** Code-unit order, as PostgreSQL's "C" collation sorts. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
