/**
 * The ballots and tallies of the PostgreSQL store. Ballots go through `ballot-writer.ts` (batched,
 * acknowledged after COMMIT, one per device by a unique index, tally counters updated in the same
 * statement); tallies are summed from the counter rows (`tally-rows.ts`), never from the ballots;
 * changes reach every process by LISTEN/NOTIFY (`tally-notify.ts`).
 */
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { WriteIn } from '~/lib/voting/ballot-rules';
import type { CampaignTally, Channel, EventType } from '~/lib/voting/tally';
import { utcDay } from '~/server/store/keys';
import { StoreUnavailableError } from '~/server/store/store';
import type { AddressReviewEntry, AppendOutcome, Ballot, BallotLog, NewBallot, Tallies } from '~/server/store/store';
import type { BallotWriter } from './ballot-writer';
import { query } from './db';
import { tallyFromRows } from './tally-rows';

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

/** Rows of transactions that have not finished yet are never read past: see readSince. */
const FINISHED = 'tx < pg_snapshot_xmin(pg_current_snapshot())';

function parseCursor(cursor: string | null, what: string): { tx: string; seq: number } {
  if (cursor === null || cursor === '') return { tx: '0', seq: 0 };
  const match = /^(\d{1,20}):(\d{1,18})$/.exec(cursor);
  if (!match) throw new Error(`无效的${what}游标：${cursor}`);
  return { tx: match[1] as string, seq: Number(match[2]) };
}

export class PgBallots implements BallotLog {
  #closed = false;

  constructor(
    readonly pool: pg.Pool,
    readonly writer: BallotWriter,
    readonly now: () => Date,
  ) {}

  append(ballot: NewBallot, options: { onePerDevice: boolean }): Promise<AppendOutcome> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError('存储已关闭'));
    return this.writer.append(ballot, options.onePerDevice);
  }

  async ofDevice(campaignId: string, deviceHash: string): Promise<string | null> {
    const { rows } = await query<{ id: string }>(
      this.pool,
      'SELECT id FROM ballots WHERE campaign_id = $1 AND device_key = $2',
      [campaignId, deviceHash],
    );
    return rows[0]?.id ?? null;
  }

  async get(ballotId: string): Promise<Ballot | null> {
    const { rows } = await query<BallotRow>(this.pool, 'SELECT * FROM ballots WHERE id = $1', [ballotId]);
    return rows[0] ? toBallot(rows[0]) : null;
  }

  /**
   * Ballots in (transaction id, sequence) order, only from transactions that have finished: a
   * sequence number is taken at insert but becomes visible at commit, so reading by sequence alone
   * could step past a ballot still being committed and never return to it.
   */
  async readSince(cursor: string | null, limit: number): Promise<{ ballots: Ballot[]; cursor: string }> {
    const from = parseCursor(cursor, '选票');
    const { rows } = await query<BallotRow>(
      this.pool,
      `SELECT *, tx::text AS tx_text FROM ballots WHERE (tx, seq) > ($1::xid8, $2::bigint) AND ${FINISHED} ORDER BY tx, seq LIMIT $3`,
      [from.tx, from.seq, limit],
    );
    const last = rows.at(-1);
    return { ballots: rows.map(toBallot), cursor: last ? `${last.tx_text}:${last.seq}` : `${from.tx}:${from.seq}` };
  }

  async readAddressReviewSince(cursor: string | null): Promise<{ entries: AddressReviewEntry[]; cursor: string }> {
    const day = utcDay(this.now());
    const [cursorDay, position = null] = (cursor ?? '').split('@');
    const from = parseCursor(cursorDay === day ? position : null, '地址复核');
    const { rows } = await query<{
      tx: string;
      seq: number;
      ballot_id: string;
      campaign_id: string;
      address_hash: string;
    }>(
      this.pool,
      `SELECT tx::text AS tx, seq, ballot_id, campaign_id, address_hash FROM address_review
       WHERE day = $1 AND (tx, seq) > ($2::xid8, $3::bigint) AND ${FINISHED} ORDER BY tx, seq`,
      [day, from.tx, from.seq],
    );
    const last = rows.at(-1);
    return {
      entries: rows.map((row) => ({
        ballotId: row.ballot_id,
        campaignId: row.campaign_id,
        addressHash: row.address_hash,
      })),
      cursor: `${day}@${last ? `${last.tx}:${last.seq}` : `${from.tx}:${from.seq}`}`,
    };
  }

  /** Finishes the ballots in flight; later appends are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.writer.drain();
  }
}

export class PgTallies implements Tallies {
  readonly #emitter = new EventEmitter();
  readonly #tallyGenerations = new Map<string, number>();
  readonly #tallyReads = new Map<string, { generation: number; read: Promise<CampaignTally> }>();

  constructor(readonly pool: pg.Pool) {
    this.#emitter.setMaxListeners(0);
  }

  /** Told by the notifier: a campaign's counters changed (here or in another process). */
  changed(campaignId: string): void {
    this.#tallyGenerations.set(campaignId, (this.#tallyGenerations.get(campaignId) ?? 0) + 1);
    this.#emitter.emit('tally', campaignId);
  }

  /**
   * Reads of one campaign's tally that start while an equally fresh read is in flight share it: after
   * each batch every waiting request wants the new tally at once, and one query answers them all.
   * "Equally fresh" means no change (local commit or NOTIFY) was announced since that read began.
   */
  async get(campaignId: string): Promise<CampaignTally> {
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
      this.pool,
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

  onChange(listener: (campaignId: string) => void): () => void {
    this.#emitter.on('tally', listener);
    return () => this.#emitter.off('tally', listener);
  }
}
