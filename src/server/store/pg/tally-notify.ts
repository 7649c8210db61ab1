/**
 * Live tallies across processes. Each process tells its own listeners at once when it commits
 * ballots, and tells the other processes through NOTIFY on one channel (payload: campaign id and the
 * sender), at most once per THROTTLE_MS per campaign however many ballots arrive: the projector
 * pushes twice a second at most anyway. One dedicated connection LISTENs; when it drops it
 * reconnects and reports every campaign as changed, since notifications sent meanwhile are lost.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TALLY_CHANNEL = 'portal_tally';
const THROTTLE_MS = 200;

export class TallyNotifier {
  readonly #pool: pg.Pool;
  readonly #connectionString: string;
  readonly #emit: (campaignId: string) => void;
  readonly #allCampaigns: () => Promise<string[]>;
  readonly #log: (message: string) => void;
  readonly #sender = randomBytes(6).toString('base64url');
  readonly #pending = new Map<string, { timer: NodeJS.Timeout | null; lastSent: number }>();
  #listener: pg.Client | null = null;
  #reconnect: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(init: {
    pool: pg.Pool;
    connectionString: string;
    emit: (campaignId: string) => void;
    allCampaigns: () => Promise<string[]>;
    log: (message: string) => void;
  }) {
    this.#pool = init.pool;
    this.#connectionString = init.connectionString;
    this.#emit = init.emit;
    this.#allCampaigns = init.allCampaigns;
    this.#log = init.log;
  }

  async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#connectionString,
      application_name: 'portal tally listener',
    });
    client.on('notification', (message) => {
      if (message.channel !== TALLY_CHANNEL || !message.payload) return;
      try {
        const { campaignId, sender } = JSON.parse(message.payload) as { campaignId: string; sender: string };
        if (sender !== this.#sender) this.#emit(campaignId);
      } catch {
        // not ours
      }
    });
    const lost = (error?: Error) => {
      if (this.#listener !== client || this.#closed) return;
      this.#listener = null;
      this.#log(`实时计票的数据库监听连接中断（${error?.message ?? '连接关闭'}），稍后重连。`);
      void client.end().catch(() => undefined);
      this.#scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`LISTEN ${TALLY_CHANNEL}`);
    this.#listener = client;
  }

  #scheduleReconnect(): void {
    if (this.#reconnect || this.#closed) return;
    this.#reconnect = setTimeout(() => {
      this.#reconnect = null;
      this.listen()
        .then(async () => {
          for (const campaignId of await this.#allCampaigns()) this.#emit(campaignId);
        })
        .catch((error: Error) => {
          this.#log(`实时计票监听重连失败：${error.message}`);
          this.#scheduleReconnect();
        });
    }, 1000);
    this.#reconnect.unref();
  }

  /** After a commit: this process's listeners now, the other processes soon (throttled). */
  changed(campaignIds: Iterable<string>): void {
    for (const campaignId of campaignIds) {
      this.#emit(campaignId);
      const state = this.#pending.get(campaignId) ?? { timer: null, lastSent: -Infinity };
      this.#pending.set(campaignId, state);
      if (state.timer) continue;
      const wait = Math.max(0, state.lastSent + THROTTLE_MS - performance.now());
      state.timer = setTimeout(() => {
        state.timer = null;
        state.lastSent = performance.now();
        this.#send(campaignId);
      }, wait);
    }
  }

  #send(campaignId: string): void {
    this.#pool
      .query('SELECT pg_notify($1, $2)', [TALLY_CHANNEL, JSON.stringify({ campaignId, sender: this.#sender })])
      .catch((error: Error) => this.#log(`实时计票通知发送失败：${error.message}`));
  }

  /** Sends what is still waiting for its throttle window, then stops listening. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnect) clearTimeout(this.#reconnect);
    const waiting: Promise<unknown>[] = [];
    for (const [campaignId, state] of this.#pending) {
      if (!state.timer) continue;
      clearTimeout(state.timer);
      state.timer = null;
      waiting.push(
        this.#pool
          .query('SELECT pg_notify($1, $2)', [TALLY_CHANNEL, JSON.stringify({ campaignId, sender: this.#sender })])
          .catch(() => undefined),
      );
    }
    await Promise.all(waiting);
    const listener = this.#listener;
    this.#listener = null;
    await listener?.end().catch(() => undefined);
  }
}
