/**
 * At most `maxRunning` tasks at once, `maxQueued` more waiting; beyond that a task is refused at once
 * (the caller answers 429 with Retry-After). Password hashing is deliberately slow and memory-hard;
 * without this a login flood would take both cores from the voters.
 */
export class ConcurrencyGate {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    readonly maxRunning: number,
    readonly maxQueued: number,
  ) {}

  /** True when a task given now would be refused. */
  get full(): boolean {
    return this.#running >= this.maxRunning && this.#waiting.length >= this.maxQueued;
  }

  /** Runs the task when a place is free, or returns null at once when the queue is full too. */
  tryRun<T>(task: () => Promise<T>): Promise<T> | null {
    if (this.full) return null;
    return this.#run(task);
  }

  async #run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.maxRunning) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    try {
      return await task();
    } finally {
      // The place passes straight to the next waiting task, so `running` never drops in between.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
