/**
 * One dedicated connection that LISTENs on a channel, for hearing what other portal processes
 * committed. Payloads are JSON naming their sender (`payload`), so a process does not hear itself
 * (it has told its own listeners already). When the connection drops it reconnects every second
 * until it is back, then calls `reconnected`: notifications sent meanwhile are lost, so the owner
 * treats everything as changed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export class ChannelListener {
  readonly #connectionString: string;
  readonly #channel: string;
  readonly #label: string;
  readonly #heard: (message: Record<string, unknown>) => void;
  readonly #sender = randomBytes(6).toString('base64url');
  readonly #reconnected: () => Promise<void>;
  readonly #log: (message: string) => void;
  #client: pg.Client | null = null;
  #reconnect: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(init: {
    connectionString: string;
    channel: string;
    /** What the connection is for, in pg_stat_activity and in the log (Chinese). */
    label: string;
    /** A notification of another process, its sender removed. */
    heard: (message: Record<string, unknown>) => void;
    reconnected: () => Promise<void>;
    log: (message: string) => void;
  }) {
    this.#connectionString = init.connectionString;
    this.#channel = init.channel;
    this.#label = init.label;
    this.#heard = init.heard;
    this.#reconnected = init.reconnected;
    this.#log = init.log;
  }

  /** The NOTIFY payload for `message`, marked as this process's. */
  payload(message: Record<string, unknown>): string {
    return JSON.stringify({ ...message, sender: this.#sender });
  }

  async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#connectionString,
      application_name: `portal ${this.#channel}`,
    });
    client.on('notification', (message) => {
      if (message.channel !== this.#channel || !message.payload) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.payload);
      } catch {
        return; // not ours
      }
      if (typeof parsed !== 'object' || parsed === null) return;
      const { sender, ...rest } = parsed as Record<string, unknown>;
      if (sender !== this.#sender) this.#heard(rest);
    });
    const lost = (error?: Error) => {
      if (this.#client !== client || this.#closed) return;
      this.#client = null;
      this.#log(`${this.#label}的数据库监听连接中断（${error?.message ?? '连接关闭'}），稍后重连。`);
      void client.end().catch(() => undefined);
      this.#scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`LISTEN ${this.#channel}`);
    this.#client = client;
  }

  #scheduleReconnect(): void {
    if (this.#reconnect || this.#closed) return;
    this.#reconnect = setTimeout(() => {
      this.#reconnect = null;
      this.listen()
        .then(() => this.#reconnected())
        .catch((error: Error) => {
          this.#log(`${this.#label}监听重连失败：${error.message}`);
          this.#scheduleReconnect();
        });
    }, 1000);
    this.#reconnect.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnect) clearTimeout(this.#reconnect);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }
}
