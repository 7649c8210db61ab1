/**
 * Minimum spacing between two accepted ballots of one kiosk. Unlike the shared token buckets
 * (`src/lib/http/token-buckets.ts`) a claim can be given back when the ballot could not be stored,
 * which only the ballot path needs, so it lives with the voting code.
 */
export class MinimumInterval {
  readonly #lastAcceptedMs = new Map<string, number>();
  readonly #intervalMs: number;
  readonly #now: () => number;

  constructor(intervalSeconds: number, now: () => number) {
    this.#intervalMs = intervalSeconds * 1000;
    this.#now = now;
  }

  /** Claims the slot; `release` gives it back when the ballot could not be stored. */
  claim(key: string): { allowed: true; release: () => void } | { allowed: false; retryAfterSeconds: number } {
    const now = this.#now();
    const previous = this.#lastAcceptedMs.get(key);
    if (previous !== undefined && now - previous < this.#intervalMs) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((this.#intervalMs - (now - previous)) / 1000)),
      };
    }
    this.#lastAcceptedMs.set(key, now);
    return {
      allowed: true,
      release: () => {
        if (this.#lastAcceptedMs.get(key) !== now) return;
        if (previous === undefined) this.#lastAcceptedMs.delete(key);
        else this.#lastAcceptedMs.set(key, previous);
      },
    };
  }
}
