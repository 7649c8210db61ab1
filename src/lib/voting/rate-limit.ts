/**
 * Token buckets with an injected clock. A bucket holds up to `burst` tokens and refills at
 * `perMinute`; a request takes one token or is refused. A school hall behind one NAT spends the
 * burst and lives on the refill; a script sending thousands at once runs dry within the first second.
 */
export interface BucketPolicy {
  burst: number;
  perMinute: number;
}

interface BucketState {
  tokens: number;
  updatedAtMs: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class TokenBuckets {
  readonly #buckets = new Map<string, BucketState>();
  readonly #policy: BucketPolicy;
  readonly #now: () => number;

  constructor(policy: BucketPolicy, now: () => number = Date.now) {
    if (!(policy.burst >= 1) || !(policy.perMinute > 0)) throw new Error('令牌桶参数必须为正数');
    this.#policy = policy;
    this.#now = now;
  }

  /** Tokens a key has now (full for a key never seen). */
  available(key: string): number {
    const bucket = this.#buckets.get(key);
    return bucket ? this.#refilled(bucket, this.#now()) : this.#policy.burst;
  }

  take(key: string): TakeResult {
    const now = this.#now();
    const bucket = this.#buckets.get(key);
    const tokens = bucket ? this.#refilled(bucket, now) : this.#policy.burst;
    if (tokens < 1) {
      const perMs = this.#policy.perMinute / 60_000;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
    }
    this.#buckets.set(key, { tokens: tokens - 1, updatedAtMs: now });
    return { allowed: true };
  }

  /** Drops buckets that have refilled completely (they behave exactly like absent ones). */
  prune(): void {
    const now = this.#now();
    for (const [key, bucket] of this.#buckets) {
      if (this.#refilled(bucket, now) >= this.#policy.burst) this.#buckets.delete(key);
    }
  }

  /** Forgets every key, e.g. when the daily hashing key rotates and old keys can never recur. */
  clear(): void {
    this.#buckets.clear();
  }

  get size(): number {
    return this.#buckets.size;
  }

  #refilled(bucket: BucketState, now: number): number {
    const elapsed = Math.max(0, now - bucket.updatedAtMs);
    return Math.min(this.#policy.burst, bucket.tokens + (elapsed * this.#policy.perMinute) / 60_000);
  }
}

/** Minimum spacing between two accepted ballots of one kiosk. */
export class MinimumInterval {
  readonly #lastAcceptedMs = new Map<string, number>();
  readonly #intervalMs: number;
  readonly #now: () => number;

  constructor(intervalSeconds: number, now: () => number = Date.now) {
    this.#intervalMs = intervalSeconds * 1000;
    this.#now = now;
  }

  /** Claims the slot; `release` gives it back when the ballot could not be stored. */
  claim(key: string): { allowed: true; release: () => void } | { allowed: false; retryAfterSeconds: number } {
    const now = this.#now();
    const previous = this.#lastAcceptedMs.get(key);
    if (previous !== undefined && now - previous < this.#intervalMs) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((this.#intervalMs - (now - previous)) / 1000)) };
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
