/**
 * Secrets kept in DATA_DIR: the device-cookie signing secret (unless DEVICE_COOKIE_SECRET is set)
 * and one address-hashing key per UTC day. Rotating to a new day deletes the older keys and the
 * address-hash review files made with them, so yesterday's hashes can no longer be linked to anyone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DEVICE_SECRET_FILE = 'device-cookie.secret';
export const KEYS_DIR = 'keys';
export const REVIEW_DIR = 'address-review';

/** Reads the secret or creates it (32 random bytes, file mode 0600). */
export function loadOrCreateDeviceSecret(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) return Buffer.from(fromEnv, 'utf8');
  const path = join(dataDir, DEVICE_SECRET_FILE);
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  const secret = randomBytes(32);
  writeFileSync(path, secret.toString('hex'), { mode: 0o600, flag: 'wx' });
  return secret;
}

export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export class DailyKeys {
  #current: { day: string; key: Buffer } | null = null;
  readonly #keysDir: string;
  readonly #reviewDir: string;

  constructor(dataDir: string) {
    this.#keysDir = join(dataDir, KEYS_DIR);
    this.#reviewDir = join(dataDir, REVIEW_DIR);
    mkdirSync(this.#keysDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.#reviewDir, { recursive: true, mode: 0o700 });
  }

  /** The key of `now`'s UTC day; the first call of a new day rotates. */
  keyOf(now: Date): { day: string; key: Buffer; rotated: boolean } {
    const day = utcDay(now);
    if (this.#current?.day === day) return { ...this.#current, rotated: false };
    const path = join(this.#keysDir, `address-${day}.key`);
    let key: Buffer;
    if (existsSync(path)) {
      key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    } else {
      key = randomBytes(32);
      writeFileSync(path, key.toString('hex'), { mode: 0o600 });
    }
    this.#current = { day, key };
    this.#deleteOtherDays(day);
    return { day, key, rotated: true };
  }

  /** File receiving the address hashes of ballots cast on `day`. */
  reviewFile(day: string): string {
    return join(this.#reviewDir, `addresses-${day}.jsonl`);
  }

  #deleteOtherDays(day: string): void {
    for (const [dir, keep] of [
      [this.#keysDir, `address-${day}.key`],
      [this.#reviewDir, `addresses-${day}.jsonl`],
    ] as const) {
      for (const name of readdirSync(dir)) if (name !== keep) rmSync(join(dir, name), { force: true });
    }
  }
}
