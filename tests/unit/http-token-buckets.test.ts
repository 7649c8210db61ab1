import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/lib/http/token-buckets';

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('token buckets', () => {
  it('allows the burst at once, then refills at the configured rate', () => {
    const time = clock();
    const buckets = new TokenBuckets({ burst: 3, perMinute: 60 }, time.now);
    expect([1, 2, 3, 4].map(() => buckets.take('x').allowed)).toEqual([true, true, true, false]);
    expect(buckets.take('x')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    time.advance(999);
    expect(buckets.take('x').allowed).toBe(false);
    time.advance(1);
    expect(buckets.take('x').allowed).toBe(true);
    expect(buckets.take('other').allowed).toBe(true);
  });

  it('never holds more than the burst', () => {
    const time = clock();
    const buckets = new TokenBuckets({ burst: 5, perMinute: 600 }, time.now);
    buckets.take('x');
    time.advance(3_600_000);
    expect(buckets.available('x')).toBe(5);
  });

  it('a school of 500 phones behind one NAT within five minutes is never refused with the defaults', () => {
    const time = clock();
    const buckets = new TokenBuckets({ burst: 300, perMinute: 180 }, time.now);
    // Worst plausible shape: 350 in the first minute (a teacher says "vote now"), the rest spread out.
    let refused = 0;
    for (let index = 0; index < 500; index += 1) {
      time.advance(index < 350 ? 60_000 / 350 : 240_000 / 150);
      if (!buckets.take('school').allowed) refused += 1;
    }
    expect(refused).toBe(0);
  });

  it('a script sending 3,000 in one second is mostly refused', () => {
    const time = clock();
    const buckets = new TokenBuckets({ burst: 300, perMinute: 180 }, time.now);
    let allowed = 0;
    for (let index = 0; index < 3000; index += 1) {
      time.advance(1000 / 3000);
      if (buckets.take('script').allowed) allowed += 1;
    }
    expect(allowed).toBeGreaterThanOrEqual(300);
    expect(allowed).toBeLessThanOrEqual(304);
  });

  it('prunes full buckets and clears on rotation', () => {
    const time = clock();
    const buckets = new TokenBuckets({ burst: 2, perMinute: 60 }, time.now);
    buckets.take('a');
    buckets.take('b');
    expect(buckets.size).toBe(2);
    time.advance(2000);
    buckets.prune();
    expect(buckets.size).toBe(0);
    buckets.take('c');
    buckets.clear();
    expect(buckets.size).toBe(0);
  });

  it('rejects nonsense policies', () => {
    expect(() => new TokenBuckets({ burst: 0, perMinute: 1 }, clock().now)).toThrow();
    expect(() => new TokenBuckets({ burst: 1, perMinute: 0 }, clock().now)).toThrow();
  });

  // Cases from the assistant's former buckets (capacity 3, refill 1 per second = 60 per minute).
  it('keeps a bucket per key and refills over time', () => {
    const time = clock();
    const buckets = new TokenBuckets({ burst: 3, perMinute: 60 }, time.now);
    expect([1, 2, 3, 4].map(() => buckets.take('a').allowed)).toEqual([true, true, true, false]);
    expect(buckets.take('b').allowed).toBe(true);
    time.advance(999);
    expect(buckets.take('a').allowed).toBe(false);
    time.advance(1001);
    expect(buckets.take('a').allowed).toBe(true);
  });

  it('rejects a nonsense key bound', () => {
    expect(() => new TokenBuckets({ burst: 1, perMinute: 1, maxKeys: 0 }, clock().now)).toThrow();
    expect(() => new TokenBuckets({ burst: 1, perMinute: 1, maxKeys: 2.5 }, clock().now)).toThrow();
  });
});

describe('token buckets with a memory bound (maxKeys)', () => {
  it('forgets idle keys beyond the cap', () => {
    const time = clock();
    const buckets = new TokenBuckets({ burst: 1, perMinute: 60, maxKeys: 10 }, time.now);
    for (let index = 0; index < 50; index += 1) {
      time.advance(10);
      buckets.take(`k${index}`);
    }
    expect(buckets.size).toBeLessThanOrEqual(10);
  });

  it('drops fully refilled buckets first, then the least recently used', () => {
    const time = clock();
    const buckets = new TokenBuckets({ burst: 2, perMinute: 60, maxKeys: 3 }, time.now);
    buckets.take('refilled');
    time.advance(1000);
    buckets.take('old');
    buckets.take('old');
    buckets.take('recent');
    buckets.take('recent');
    buckets.take('old'); // refused, but touched: now more recent than 'recent'
    buckets.take('new'); // 4 keys: 'refilled' has refilled and goes first
    expect(buckets.size).toBe(3);
    expect(buckets.available('old')).toBeLessThan(1);
    buckets.take('newer'); // none refilled: the least recently used ('recent') goes
    expect(buckets.size).toBe(3);
    expect(buckets.available('recent')).toBe(2);
    expect(buckets.available('old')).toBeLessThan(1);
  });

  it('without maxKeys keeps every key until pruned', () => {
    const time = clock();
    const buckets = new TokenBuckets({ burst: 1, perMinute: 60 }, time.now);
    for (let index = 0; index < 100; index += 1) buckets.take(`k${index}`);
    expect(buckets.size).toBe(100);
  });
});
