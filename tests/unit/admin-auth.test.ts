import { describe, expect, it } from 'vitest';
import { csrfTokenFor, isValidCsrfToken } from '../../src/lib/admin/csrf';
import { LoginLockout } from '../../src/lib/admin/lockout';
import { passwordProblem } from '../../src/lib/admin/password-policy';
import { sessionState, shouldTouch } from '../../src/lib/admin/session-expiry';

describe('passwordProblem', () => {
  it('accepts a long password and refuses short, username-bearing, repetitive or well-known ones', () => {
    expect(passwordProblem('correct-horse-battery', 'admin')).toBeNull();
    expect(passwordProblem('short', 'admin')).toMatch(/至少需要 12/);
    expect(passwordProblem('wangfang-2027-spring', 'wangfang')).toMatch(/用户名/);
    expect(passwordProblem('aaaaaaaaaaaaaaa', 'admin')).toMatch(/重复/);
    expect(passwordProblem('Password1234', 'admin')).toMatch(/常见/);
    expect(passwordProblem('abcdefghijklm', 'admin')).toMatch(/常见/);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('市场监管抽查你点我查好', 'admin')).toMatch(/至少/);
    expect(passwordProblem('市场监管抽查你点我查好的吧', 'admin')).toBeNull();
  });
});

describe('sessionState', () => {
  const policy = { idleMinutes: 30, absoluteHours: 12 };
  const at = (iso: string) => new Date(iso);

  it('is valid until the idle timeout and ends exactly at it', () => {
    const session = { createdAt: '2027-03-01T08:00:00Z', lastSeenAt: '2027-03-01T09:00:00Z' };
    expect(sessionState(session, policy, at('2027-03-01T09:29:59Z'))).toEqual({
      valid: true,
      expiresAt: at('2027-03-01T09:30:00Z'),
    });
    expect(sessionState(session, policy, at('2027-03-01T09:30:00Z'))).toEqual({ valid: false, reason: 'idle' });
  });

  it('ends after the absolute limit however busy the session is', () => {
    const session = { createdAt: '2027-03-01T08:00:00Z', lastSeenAt: '2027-03-01T19:59:00Z' };
    expect(sessionState(session, policy, at('2027-03-01T19:59:30Z')).valid).toBe(true);
    expect(sessionState(session, policy, at('2027-03-01T20:00:00Z'))).toEqual({ valid: false, reason: 'absolute' });
  });

  it('writes lastSeenAt down at most once a minute', () => {
    const session = { createdAt: '2027-03-01T08:00:00Z', lastSeenAt: '2027-03-01T09:00:00Z' };
    expect(shouldTouch(session, policy, at('2027-03-01T09:00:59Z'))).toBe(false);
    expect(shouldTouch(session, policy, at('2027-03-01T09:01:00Z'))).toBe(true);
  });
});

describe('LoginLockout', () => {
  const policy = { maxFailures: 5, lockMinutes: 15, maxLockMinutes: 240, forgetAfterHours: 24 };
  const minute = 60_000;

  it('locks after 5 failures for 15 minutes, then lets the key try again', () => {
    const lockout = new LoginLockout(policy);
    for (let i = 0; i < 4; i += 1) expect(lockout.recordFailure('user:a', i)).toBeNull();
    expect(lockout.recordFailure('user:a', 4)?.getTime()).toBe(4 + 15 * minute);
    expect(lockout.lockedUntil('user:a', 10 * minute)).not.toBeNull();
    expect(lockout.lockedUntil('user:a', 4 + 15 * minute)).toBeNull();
    expect(lockout.lockedUntil('user:b', 10 * minute)).toBeNull();
  });

  it('doubles each further lock up to the cap, never permanently', () => {
    const lockout = new LoginLockout(policy);
    let now = 0;
    const lengths: number[] = [];
    for (let lock = 0; lock < 7; lock += 1) {
      let until: Date | null = null;
      for (let i = 0; i < 5; i += 1) until = lockout.recordFailure('k', now);
      lengths.push(((until as Date).getTime() - now) / minute);
      now = (until as Date).getTime();
    }
    expect(lengths).toEqual([15, 30, 60, 120, 240, 240, 240]);
  });

  it('forgets a success and stale failures', () => {
    const lockout = new LoginLockout(policy);
    for (let i = 0; i < 4; i += 1) lockout.recordFailure('k', 0);
    lockout.recordSuccess('k');
    expect(lockout.recordFailure('k', 1)).toBeNull();
    for (let i = 0; i < 3; i += 1) lockout.recordFailure('j', 0);
    expect(lockout.recordFailure('j', 25 * 60 * minute)).toBeNull();
  });
});

describe('CSRF tokens', () => {
  it('accepts the token of the session and nothing else', () => {
    const token = csrfTokenFor('session-a');
    expect(isValidCsrfToken('session-a', token)).toBe(true);
    expect(isValidCsrfToken('session-b', token)).toBe(false);
    expect(isValidCsrfToken('session-a', `${token.slice(0, -1)}x`)).toBe(false);
    expect(isValidCsrfToken('session-a', '')).toBe(false);
    expect(isValidCsrfToken('session-a', null)).toBe(false);
  });
});
