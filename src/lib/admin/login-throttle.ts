/**
 * Who may have a password checked right now. Three limits, none of which can keep the right person
 * out for long:
 * - account AND address: `maxFailures` wrong tries lock only that pair (escalating, see LoginLockout),
 *   so guesses from one place never lock the account holder out at another;
 * - address: four times as many across accounts, so one machine cannot try account after account;
 * - account, from everywhere: after `slowdownAfter` failures in a row the account's checks are spaced
 *   out (a delay that doubles up to `maxDelaySeconds`), never refused for longer than that.
 * `admit` counts the attempt as a failure BEFORE the password is checked, in the same synchronous
 * step as the check of the limits, so concurrent guesses cannot get more checks than the limit.
 * A right password takes the count back (`succeeded`).
 */
import { LoginLockout } from './lockout';

export interface LoginThrottlePolicy {
  /** Wrong tries per account and address before that pair is locked. */
  maxFailures: number;
  lockMinutes: number;
  maxLockMinutes: number;
  /** Account-wide failures (from any address) before checks of that account are spaced out. */
  slowdownAfter: number;
  /** The first spacing; each further failure doubles it, up to `maxDelaySeconds`. */
  delaySeconds: number;
  maxDelaySeconds: number;
  /** Keys remembered at most (per limit); the least recently failed are forgotten first. */
  maxKeys: number;
}

export type LoginAdmission =
  /** `lockedIfWrong`: the lock this attempt starts if its password turns out wrong (it was the last allowed). */
  { allowed: true; lockedIfWrong: Date | null } | { allowed: false; reason: 'locked' | 'slowed'; retryAt: Date };

interface Slowdown {
  failures: number;
  nextCheckMs: number;
  lastFailureMs: number;
}

const FORGET_AFTER_HOURS = 24;

export class LoginThrottle {
  readonly #pairs: LoginLockout;
  readonly #addresses: LoginLockout;
  readonly #accounts = new Map<string, Slowdown>();
  readonly #policy: LoginThrottlePolicy;

  constructor(policy: LoginThrottlePolicy) {
    this.#policy = policy;
    const lock = {
      lockMinutes: policy.lockMinutes,
      maxLockMinutes: policy.maxLockMinutes,
      forgetAfterHours: FORGET_AFTER_HOURS,
      maxKeys: policy.maxKeys,
    };
    this.#pairs = new LoginLockout({ ...lock, maxFailures: policy.maxFailures });
    this.#addresses = new LoginLockout({ ...lock, maxFailures: policy.maxFailures * 4 });
  }

  /** Whether a password check may run now for `account` (as the lookup spells it) from `address`; counts it. */
  admit(account: string, address: string, nowMs: number): LoginAdmission {
    const pair = pairKey(account, address);
    const locked = this.#pairs.lockedUntil(pair, nowMs) ?? this.#addresses.lockedUntil(address, nowMs);
    if (locked) return { allowed: false, reason: 'locked', retryAt: locked };
    const slowdown = this.#slowdown(account, nowMs);
    if (slowdown && slowdown.nextCheckMs > nowMs)
      return { allowed: false, reason: 'slowed', retryAt: new Date(slowdown.nextCheckMs) };
    const pairLock = this.#pairs.recordFailure(pair, nowMs);
    const addressLock = this.#addresses.recordFailure(address, nowMs);
    this.#countAccountFailure(account, slowdown, nowMs);
    return { allowed: true, lockedIfWrong: pairLock ?? addressLock };
  }

  /** The password was right: forget the pair's and the account's failures (and the lock it may have started), take back the address's one. */
  succeeded(account: string, address: string, nowMs: number): void {
    this.#pairs.recordSuccess(pairKey(account, address));
    this.#addresses.forgiveOne(address, nowMs);
    this.#accounts.delete(account);
  }

  #slowdown(account: string, nowMs: number): Slowdown | null {
    const state = this.#accounts.get(account);
    if (!state) return null;
    if (nowMs - state.lastFailureMs > FORGET_AFTER_HOURS * 3_600_000) {
      this.#accounts.delete(account);
      return null;
    }
    return state;
  }

  #countAccountFailure(account: string, current: Slowdown | null, nowMs: number): void {
    const state = current ?? { failures: 0, nextCheckMs: 0, lastFailureMs: nowMs };
    state.failures += 1;
    state.lastFailureMs = nowMs;
    const beyond = state.failures - this.#policy.slowdownAfter;
    if (beyond > 0) {
      const seconds = Math.min(this.#policy.maxDelaySeconds, this.#policy.delaySeconds * 2 ** (beyond - 1));
      state.nextCheckMs = nowMs + seconds * 1000;
    }
    this.#accounts.delete(account);
    this.#accounts.set(account, state);
    for (const oldest of this.#accounts.keys()) {
      if (this.#accounts.size <= this.#policy.maxKeys) break;
      this.#accounts.delete(oldest);
    }
  }
}

function pairKey(account: string, address: string): string {
  return `${account}\u0000${address}`;
}

/**
 * The one spelling of a typed user name used both to look the account up and to key its limits:
 * account names are lower case (USERNAME_PATTERN), so 「Admin」 IS the admin account, not another
 * key that could be locked without ever being able to log in.
 */
export function canonicalUsername(typed: string): string {
  return typed.normalize('NFKC').trim().toLowerCase();
}
