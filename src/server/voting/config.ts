/**
 * Environment variables of the voting feature (merged into `src/server/config.ts`).
 * Limits are configuration, not constants: a deployment tunes them to its halls and proxies.
 */
import { z } from 'zod';

const positiveNumber = (fallback: number) => z.coerce.number().positive().default(fallback);

export const votingConfigShape = {
  /** `off` disables ballot rate limits (benchmarks only); a warning is printed at start. */
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  /** Ballots one client address may send at once: a school hall behind one NAT fits in it. */
  RATE_LIMIT_BALLOTS_PER_ADDRESS_BURST: positiveNumber(300),
  /** Refill of that bucket per minute (180 = 3 per second). */
  RATE_LIMIT_BALLOTS_PER_ADDRESS_PER_MINUTE: positiveNumber(180),
  /** Ballot attempts one device cookie may send at once. */
  RATE_LIMIT_BALLOTS_PER_DEVICE_BURST: positiveNumber(30),
  RATE_LIMIT_BALLOTS_PER_DEVICE_PER_MINUTE: positiveNumber(20),
  /** Signs device cookies; when unset a random secret is kept in DATA_DIR (mode 0600). */
  DEVICE_COOKIE_SECRET: z.string().min(32, 'DEVICE_COOKIE_SECRET 至少 32 个字符').optional(),
  /**
   * A ballot counts only with a device cookie at least this many seconds old, issued by an earlier
   * GET of the ballot: a cookie-less script is refused, and one that fetches a cookie must wait.
   * 0 for tests; kiosks are exempt (they are paced by KIOSK_MIN_INTERVAL_SECONDS).
   */
  DEVICE_COOKIE_MIN_AGE_SECONDS: z.coerce.number().min(0).default(3),
  /** Minimum seconds between two ballots of one kiosk. */
  KIOSK_MIN_INTERVAL_SECONDS: z.coerce.number().min(0).default(8),
  /** Largest accepted ballot body in bytes. */
  BALLOT_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024),
  /** A tally snapshot is written after this many new ballots (and every 30 s when any arrived). */
  SNAPSHOT_EVERY_BALLOTS: z.coerce.number().int().min(1).default(20_000),
};
