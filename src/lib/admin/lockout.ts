/**
 * Login throttling: after `maxFailures` failed attempts a key (an account, or an address hash) is
 * locked for `lockMinutes`; each further lock of the same key doubles, up to `maxLockMinutes`.
 * Never permanent: failures older than `forgetAfterHours` are forgotten, and a lock always ends.
 */
export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
  maxLockMinutes: number;
  forgetAfterHours: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMinutes: 15, maxLockMinutes: 240, forgetAfterHours: 24 };

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
    this.#states.set(key, state);
    return lockedUntil;
  }

  recordSuccess(key: string): void {
    this.#states.delete(key);
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
