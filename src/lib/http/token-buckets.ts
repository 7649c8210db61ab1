/**
 * Token buckets with an injected clock, shared by every per-client limit of the portal (ballots,
 * assistant questions). A bucket holds up to `burst` tokens and refills at `perMinute`; a request
 * takes one token or is refused with the seconds until the next token. A school hall behind one NAT
 * spends the burst and lives on the refill; a script sending thousands at once runs dry within the
 * first second.
 */
export interface BucketPolicy {
  burst: number;
  perMinute: number;
  /**
   * Most keys kept in memory. Past it, fully refilled buckets are dropped (they behave exactly like
   * absent ones), then the least recently used. Unset: no bound (the owner calls `prune()`/`clear()`).
   */
  maxKeys?: number;
}

interface BucketState {
  tokens: number;
  updatedAtMs: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class TokenBuckets {
  /** In least-recently-used order: every take moves its key to the end. */
  readonly #buckets = new Map<string, BucketState>();
  readonly #policy: BucketPolicy;
  readonly #now: () => number;

  constructor(policy: BucketPolicy, now: () => number) {
    if (!(policy.burst >= 1) || !(policy.perMinute > 0)) throw new Error('令牌桶参数必须为正数');
    if (policy.maxKeys !== undefined && !(Number.isInteger(policy.maxKeys) && policy.maxKeys >= 1)) {
      throw new Error('令牌桶的 maxKeys 必须为正整数');
    }
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
    const allowed = tokens >= 1;
    // Refused keys are touched too: a key being refused is the last one the memory bound should forget.
    this.#buckets.delete(key);
    this.#buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, updatedAtMs: now });
    this.#enforceMaxKeys(now);
    if (allowed) return { allowed: true };
    const perMs = this.#policy.perMinute / 60_000;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
  }

  /** Drops buckets that have refilled completely (they behave exactly like absent ones). */
  prune(): void {
    this.#dropRefilled(this.#now());
  }

  /** Forgets every key, e.g. when the daily hashing key rotates and old keys can never recur. */
  clear(): void {
    this.#buckets.clear();
  }

  get size(): number {
    return this.#buckets.size;
  }

  #enforceMaxKeys(now: number): void {
    const { maxKeys } = this.#policy;
    if (maxKeys === undefined || this.#buckets.size <= maxKeys) return;
    this.#dropRefilled(now);
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size <= maxKeys) break;
      this.#buckets.delete(key);
    }
  }

  #dropRefilled(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (this.#refilled(bucket, now) >= this.#policy.burst) this.#buckets.delete(key);
    }
  }

  #refilled(bucket: BucketState, now: number): number {
    const elapsed = Math.max(0, now - bucket.updatedAtMs);
    return Math.min(this.#policy.burst, bucket.tokens + (elapsed * this.#policy.perMinute) / 60_000);
  }
}
