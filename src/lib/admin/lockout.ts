/**
 * Login throttling: after `maxFailures` failed attempts a key (an account, or an address hash) is
 * locked for `lockMinutes`; each further lock of the same key doubles, up to `maxLockMinutes`.
 * Never permanent: failures older than `forgetAfterHours` are forgotten, and a lock always ends.
 * At most `maxKeys` keys are remembered (the least recently failed is forgotten first), so a flood of
 * invented user names cannot grow memory without bound.
 */
export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
  maxLockMinutes: number;
  forgetAfterHours: number;
  maxKeys?: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  maxFailures: 5,
  lockMinutes: 15,
  maxLockMinutes: 240,
  forgetAfterHours: 24,
  maxKeys: 10_000,
};

interface KeyState {
  failures: number;
  locks: number;
  lockedUntilMs: number;
  lastFailureMs: number;
}

export class LoginLockout {
  readonly #states = new Map<string, KeyState>();
  readonly #policy: LockoutPolicy;

  constructor(policy: LockoutPolicy = DEFAULT_LOCKOUT) {
    this.#policy = policy;
  }

  /** When the key is locked, the time the lock ends. */
  lockedUntil(key: string, nowMs: number): Date | null {
    const state = this.#current(key, nowMs);
    return state && state.lockedUntilMs > nowMs ? new Date(state.lockedUntilMs) : null;
  }

  /** Counts a failure; returns the end of the lock it triggered, if any. */
  recordFailure(key: string, nowMs: number): Date | null {
    const state = this.#current(key, nowMs) ?? { failures: 0, locks: 0, lockedUntilMs: 0, lastFailureMs: nowMs };
    state.failures += 1;
    state.lastFailureMs = nowMs;
    let lockedUntil: Date | null = null;
    if (state.failures >= this.#policy.maxFailures) {
      const minutes = Math.min(this.#policy.maxLockMinutes, this.#policy.lockMinutes * 2 ** state.locks);
      state.lockedUntilMs = nowMs + minutes * 60_000;
      state.locks += 1;
      state.failures = 0;
      lockedUntil = new Date(state.lockedUntilMs);
    }
    // Re-inserted so the Map's order is least recently failed first.
    this.#states.delete(key);
    this.#states.set(key, state);
    const maxKeys = this.#policy.maxKeys ?? DEFAULT_LOCKOUT.maxKeys ?? Infinity;
    for (const oldest of this.#states.keys()) {
      if (this.#states.size <= maxKeys) break;
      this.#states.delete(oldest);
    }
    return lockedUntil;
  }

  recordSuccess(key: string): void {
    this.#states.delete(key);
  }

  /**
   * Takes back one failure counted in advance for an attempt that turned out right. When that count
   * started a lock just now, the lock is taken back too: it was a right password, not a guess.
   */
  forgiveOne(key: string, nowMs: number): void {
    const state = this.#states.get(key);
    if (!state) return;
    if (state.failures > 0) state.failures -= 1;
    else if (state.locks > 0 && state.lockedUntilMs > nowMs) {
      state.locks -= 1;
      state.lockedUntilMs = 0;
      state.failures = this.#policy.maxFailures - 1;
    }
  }

  #current(key: string, nowMs: number): KeyState | null {
    const state = this.#states.get(key);
    if (!state) return null;
    const forgetMs = this.#policy.forgetAfterHours * 3_600_000;
    if (nowMs - state.lastFailureMs > forgetMs && state.lockedUntilMs <= nowMs) {
      this.#states.delete(key);
      return null;
    }
    return state;
  }
}
