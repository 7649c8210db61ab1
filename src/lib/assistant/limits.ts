/**
 * The bound on concurrent model calls, as a pure in-memory structure. (The assistant's per-device
 * and per-address rate limits use the shared `src/lib/http/token-buckets.ts`.)
 */

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
