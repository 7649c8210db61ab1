/**
 * Live tallies across processes. Each process tells its own listeners at once when it commits
 * ballots, and tells the other processes through NOTIFY on one channel (payload: campaign id and the
 * sender), at most once per THROTTLE_MS per campaign however many ballots arrive: the projector
 * pushes twice a second at most anyway. One dedicated connection LISTENs (./listen); when it drops
 * it reconnects and reports every campaign as changed, since notifications sent meanwhile are lost.
 */
import type pg from 'pg';
import { ChannelListener } from './listen';

export const TALLY_CHANNEL = 'portal_tally';
const THROTTLE_MS = 200;

export class TallyNotifier {
  readonly #pool: pg.Pool;
  readonly #emit: (campaignId: string) => void;
  readonly #log: (message: string) => void;
  readonly #pending = new Map<string, { timer: NodeJS.Timeout | null; lastSent: number }>();
  readonly #listener: ChannelListener;

  constructor(init: {
    pool: pg.Pool;
    connectionString: string;
    emit: (campaignId: string) => void;
    allCampaigns: () => Promise<string[]>;
    log: (message: string) => void;
  }) {
    this.#pool = init.pool;
    this.#emit = init.emit;
    this.#log = init.log;
    this.#listener = new ChannelListener({
      connectionString: init.connectionString,
      channel: TALLY_CHANNEL,
      label: '实时计票',
      heard: ({ campaignId }) => {
        if (typeof campaignId === 'string') this.#emit(campaignId);
      },
      reconnected: async () => {
        for (const campaignId of await init.allCampaigns()) this.#emit(campaignId);
      },
      log: init.log,
    });
  }

  listen(): Promise<void> {
    return this.#listener.listen();
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
      .query('SELECT pg_notify($1, $2)', [TALLY_CHANNEL, this.#listener.payload({ campaignId })])
      .catch((error: Error) => this.#log(`实时计票通知发送失败：${error.message}`));
  }

  /** Sends what is still waiting for its throttle window, then stops listening. */
  async close(): Promise<void> {
    const waiting: Promise<unknown>[] = [];
    for (const [campaignId, state] of this.#pending) {
      if (!state.timer) continue;
      clearTimeout(state.timer);
      state.timer = null;
      waiting.push(
        this.#pool
          .query('SELECT pg_notify($1, $2)', [TALLY_CHANNEL, this.#listener.payload({ campaignId })])
          .catch(() => undefined),
      );
    }
    await Promise.all(waiting);
    await this.#listener.close();
  }
}
