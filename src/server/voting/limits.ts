/**
 * The rate limits of this process, built from configuration (see `config.ts`): one token bucket per
 * address hash and one per device hash. They live in this process's memory: N portal processes
 * sharing PostgreSQL allow N times the burst. Kiosk pacing must hold across processes, so the store
 * keeps it (`claimKioskSlot`).
 */
import { TokenBuckets, type TakeResult } from '~/lib/http/token-buckets';
import { serverClock } from '~/server/clock';
import { serverConfig } from '~/server/config';

const clockMs = () => serverClock.now().getTime();

interface Limits {
  enabled: boolean;
  byAddress: TokenBuckets;
  byDevice: TokenBuckets;
  day: string;
}

let limits: Limits | null = null;

function current(now: Date): Limits {
  if (!limits) {
    const config = serverConfig();
    limits = {
      enabled: config.RATE_LIMITS === 'on',
      byAddress: new TokenBuckets(
        {
          burst: config.RATE_LIMIT_BALLOTS_PER_ADDRESS_BURST,
          perMinute: config.RATE_LIMIT_BALLOTS_PER_ADDRESS_PER_MINUTE,
        },
        clockMs,
      ),
      byDevice: new TokenBuckets(
        {
          burst: config.RATE_LIMIT_BALLOTS_PER_DEVICE_BURST,
          perMinute: config.RATE_LIMIT_BALLOTS_PER_DEVICE_PER_MINUTE,
        },
        clockMs,
      ),
      day: now.toISOString().slice(0, 10),
    };
    const prune = setInterval(() => {
      limits?.byAddress.prune();
      limits?.byDevice.prune();
    }, 60_000);
    prune.unref();
  }
  const day = now.toISOString().slice(0, 10);
  if (day !== limits.day) {
    // Address hashes change with the daily key: yesterday's buckets can never match again.
    limits.byAddress.clear();
    limits.day = day;
  }
  return limits;
}

/** Takes a token for a ballot attempt; kiosks are paced by their own interval instead of the device bucket. */
export function takeBallotToken(addressHash: string, deviceHash: string | null, now: Date): TakeResult {
  const active = current(now);
  if (!active.enabled) return { allowed: true };
  const byAddress = active.byAddress.take(addressHash);
  if (!byAddress.allowed || deviceHash === null) return byAddress;
  return active.byDevice.take(deviceHash);
}

export function deviceCookieMinAgeSeconds(): number {
  return serverConfig().DEVICE_COOKIE_MIN_AGE_SECONDS;
}

export function kioskMinIntervalSeconds(): number {
  return serverConfig().KIOSK_MIN_INTERVAL_SECONDS;
}
