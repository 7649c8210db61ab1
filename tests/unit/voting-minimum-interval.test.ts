import { describe, expect, it } from 'vitest';
import { MinimumInterval } from '../../src/lib/voting/minimum-interval';

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('minimum interval', () => {
  it('spaces accepted claims and gives the slot back on release', () => {
    const time = clock(1_000_000);
    const interval = new MinimumInterval(8, time.now);
    const first = interval.claim('kiosk');
    expect(first.allowed).toBe(true);
    time.advance(3000);
    expect(interval.claim('kiosk')).toEqual({ allowed: false, retryAfterSeconds: 5 });
    time.advance(5000);
    const second = interval.claim('kiosk');
    expect(second.allowed).toBe(true);
    if (second.allowed) second.release();
    expect(interval.claim('kiosk').allowed).toBe(true);
    expect(interval.claim('another').allowed).toBe(true);
  });
});
