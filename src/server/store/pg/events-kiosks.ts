/** Events, kiosks and secrets of the PostgreSQL store. Kiosk records and tokens come from ../shared. */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { EventType } from '~/lib/voting/tally';
import { utcDay } from '~/server/store/keys';
import { hashSecretToken, newEventCode, newKiosk } from '~/server/store/shared/ids';
import type { Events, Kiosk, Kiosks, KioskSlot, NewOutreachEvent, OutreachEvent, Secrets } from '~/server/store/store';
import { query, transaction } from './db';

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

export class PgEvents implements Events {
  constructor(
    readonly pool: pg.Pool,
    readonly now: () => Date,
  ) {}

  async create(event: NewOutreachEvent): Promise<OutreachEvent> {
    const createdAt = this.now().toISOString();
    for (;;) {
      const code = newEventCode();
      const { rows } = await query<EventRow>(
        this.pool,
        `INSERT INTO events (code, campaign_id, type, name, place, date, active_from, active_until, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING RETURNING *`,
        [
          code,
          event.campaignId,
          event.type,
          event.name,
          event.place,
          event.date,
          event.activeFrom,
          event.activeUntil,
          createdAt,
        ],
      );
      if (rows[0]) return toEvent(rows[0]);
    }
  }

  async get(code: string): Promise<OutreachEvent | null> {
    const { rows } = await query<EventRow>(this.pool, 'SELECT * FROM events WHERE code = $1', [code]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async list(campaignId?: string): Promise<OutreachEvent[]> {
    const { rows } = await query<EventRow>(
      this.pool,
      'SELECT * FROM events WHERE $1::text IS NULL OR campaign_id = $1 ORDER BY position',
      [campaignId ?? null],
    );
    return rows.map(toEvent);
  }
}

export class PgKiosks implements Kiosks {
  constructor(
    readonly pool: pg.Pool,
    readonly events: Events,
    readonly now: () => Date,
    readonly log: (message: string) => void,
  ) {}

  async create(eventCode: string): Promise<{ kiosk: Kiosk; token: string }> {
    const event = await this.events.get(eventCode);
    if (!event) throw new Error(`没有活动码为 ${eventCode} 的活动`);
    const { kiosk, token, tokenHash } = newKiosk(event, this.now());
    await query(
      this.pool,
      'INSERT INTO kiosks (id, event_code, campaign_id, token_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, NULL)',
      [kiosk.id, kiosk.eventCode, kiosk.campaignId, tokenHash, kiosk.createdAt],
    );
    return { kiosk, token };
  }

  async byToken(token: string): Promise<Kiosk | null> {
    const { rows } = await query<KioskRow>(
      this.pool,
      'SELECT * FROM kiosks WHERE token_hash = $1 AND revoked_at IS NULL',
      [hashSecretToken(token)],
    );
    return rows[0] ? toKiosk(rows[0]) : null;
  }

  async listOfEvents(eventCodes: readonly string[]): Promise<Kiosk[]> {
    const { rows } = await query<KioskRow>(
      this.pool,
      'SELECT * FROM kiosks WHERE event_code = ANY($1::text[]) ORDER BY position',
      [eventCodes],
    );
    return rows.map(toKiosk);
  }

  async revoke(kioskId: string): Promise<Kiosk | null> {
    const { rows } = await query<KioskRow>(
      this.pool,
      'UPDATE kiosks SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING *',
      [kioskId, this.now().toISOString()],
    );
    return rows[0] ? toKiosk(rows[0]) : null;
  }

  async claimSlot(kioskId: string, now: Date, minIntervalSeconds: number): Promise<KioskSlot> {
    const nowMs = now.getTime();
    const intervalMs = minIntervalSeconds * 1000;
    // Takes the turn only if the kiosk's last accepted ballot (in any process) is old enough.
    const { rows } = await query<{ last_ms: number; claimed: boolean }>(
      this.pool,
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
          query(this.pool, 'DELETE FROM kiosk_pacing WHERE kiosk_id = $1 AND last_ms = $2', [kioskId, nowMs]).catch(
            (error: Error) => this.log(`现场投票设备节奏记录撤回失败：${error.message}`),
          );
        },
      };
    }
    const waitMs = row ? intervalMs - (nowMs - row.last_ms) : intervalMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}

export class PgSecrets implements Secrets {
  #addressKey: { day: string; key: Buffer } | null = null;

  constructor(
    readonly pool: pg.Pool,
    readonly deviceSecret: Buffer,
  ) {}

  async deviceCookieSecret(): Promise<Buffer> {
    return this.deviceSecret;
  }

  async addressKeyOfDay(now: Date): Promise<{ day: string; key: Buffer }> {
    const day = utcDay(now);
    if (this.#addressKey?.day === day) return this.#addressKey;
    const key = await transaction(this.pool, async (client) => {
      await client.query('INSERT INTO address_keys (day, key) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING', [
        day,
        randomBytes(32),
      ]);
      const { rows } = await client.query<{ key: Buffer }>('SELECT key FROM address_keys WHERE day = $1', [day]);
      // Older days go with their hashes: yesterday's address hashes can no longer be linked to anyone.
      await client.query('DELETE FROM address_keys WHERE day < $1', [day]);
      await client.query('DELETE FROM address_review WHERE day < $1', [day]);
      return (rows[0] as { key: Buffer }).key;
    });
    this.#addressKey = { day, key };
    return this.#addressKey;
  }
}

/** A secret shared by every process: created once by whichever process comes first. */
export async function sharedSecret(pool: pg.Pool, name: string): Promise<Buffer> {
  await query(pool, 'INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32),
  ]);
  const { rows } = await query<{ value: Buffer }>(pool, 'SELECT value FROM secrets WHERE name = $1', [name]);
  if (!rows[0]) throw new Error(`数据库中缺少密钥 ${name}`);
  return rows[0].value;
}
