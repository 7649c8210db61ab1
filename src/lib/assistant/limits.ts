/**
 * Rate limits and the bound on concurrent model calls, as pure in-memory structures with an
 * injectable clock so that they are tested without waiting.
 */

export interface BucketOptions {
  /** Requests allowed at once after a quiet period. */
  capacity: number;
  /** Tokens regained per second. */
  refillPerSecond: number;
  /** Most keys kept; the fullest (idlest) buckets are forgotten first. */
  maxKeys?: number;
}

/** One token bucket per key (a keyed hash of a device or an address, never the raw value). */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: BucketOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for the key; false when the key has none left. */
  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.capacity, at: now };
    const refilled = Math.min(this.options.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.options.refillPerSecond);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at: now });
      return false;
    }
    this.buckets.set(key, { tokens: refilled - 1, at: now });
    this.prune(now);
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number) {
    const maxKeys = this.options.maxKeys ?? 50_000;
    if (this.buckets.size <= maxKeys) return;
    // A bucket that has refilled completely carries no information: forget it.
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.options.refillPerSecond >= this.options.capacity) this.buckets.delete(key);
    }
    while (this.buckets.size > maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}

/**
 * At most `concurrency` model calls at once and at most `queue` waiting; beyond that a caller
 * is refused at once (the API answers 429 BUSY) rather than left waiting without end.
 */
export class BoundedQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  /** Resolves with a release function when a slot is free; null when the queue is full. */
  async acquire(signal?: AbortSignal): Promise<(() => void) | null> {
    if (this.running < this.concurrency) {
      this.running++;
      return this.releaser();
    }
    if (this.waiting.length >= this.queue) return null;
    return new Promise((resolve) => {
      const onGranted = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.releaser());
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(onGranted);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(null);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(onGranted);
    });
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next caller; the count stays the same.
      if (next) next();
      else this.running--;
    };
  }
}
