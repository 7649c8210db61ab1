/**
 * The open server-sent event streams of this process: capped globally and per client address (an
 * idle stream holds a socket and a file descriptor for as long as the client likes), and ended all at
 * once when the server shuts down, so that shutdown does not wait for projectors to hang up.
 */
export interface StreamCaps {
  perAddress: number;
  total: number;
}

export type StreamAdmission = { ok: true; release: () => void } | { ok: false };

export class StreamRegistry {
  readonly #byAddress = new Map<string, number>();
  readonly #enders = new Set<() => void>();
  #total = 0;

  constructor(private readonly caps: () => StreamCaps) {}

  /** Admits one more stream for `address`, or refuses it when a cap is reached. */
  admit(address: string): StreamAdmission {
    const caps = this.caps();
    const mine = this.#byAddress.get(address) ?? 0;
    if (this.#total >= caps.total || mine >= caps.perAddress) return { ok: false };
    this.#byAddress.set(address, mine + 1);
    this.#total += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.#total -= 1;
        const left = (this.#byAddress.get(address) ?? 1) - 1;
        if (left === 0) this.#byAddress.delete(address);
        else this.#byAddress.set(address, left);
      },
    };
  }

  /** Registers how to end an open stream; returns the unregistration. */
  onShutdown(end: () => void): () => void {
    this.#enders.add(end);
    return () => this.#enders.delete(end);
  }

  /** Ends every open stream (server shutdown). */
  endAll(): void {
    for (const end of [...this.#enders]) end();
    this.#enders.clear();
  }

  get open(): number {
    return this.#total;
  }
}
