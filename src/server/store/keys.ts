/**
 * Secrets kept in DATA_DIR: the device-cookie signing secret (unless DEVICE_COOKIE_SECRET is set)
 * and one address-hashing key per UTC day. Rotating to a new day deletes the older keys and the
 * address-hash review files made with them, so yesterday's hashes can no longer be linked to anyone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreFileDamagedError } from './file/documents';
import { fsyncDirectory, FILE_MODE, FOLDER_MODE } from './file/durable';
import type { Secrets } from './store';

export const KEYS_DIR = 'keys';
export const REVIEW_DIR = 'address-review';

export const DEVICE_SECRET_FILE = 'device-cookie.secret';
export const MIN_KEY_BYTES = 32;

/**
 * A key file's key: hex of at least 32 bytes. Anything else stops the start, naming the file:
 * `Buffer.from(…, 'hex')` would quietly turn a damaged file into an empty key, and an empty key
 * signs cookies anyone can forge.
 */
export function readKeyFile(path: string): Buffer {
  const text = readFileSync(path, 'utf8').trim();
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) throw new StoreFileDamagedError(path, '密钥不是十六进制文本');
  const key = Buffer.from(text, 'hex');
  if (key.length < MIN_KEY_BYTES)
    throw new StoreFileDamagedError(path, `密钥只有 ${key.length} 字节，至少需要 ${MIN_KEY_BYTES} 字节`);
  return key;
}

/** Writes a new random key file (0600) and fsyncs its folder, so the key outlives a power cut. */
function createKeyFile(path: string): Buffer {
  const key = randomBytes(MIN_KEY_BYTES);
  writeFileSync(path, key.toString('hex'), { mode: FILE_MODE, flag: 'wx', flush: true });
  fsyncDirectory(join(path, '..'));
  return key;
}

/** Reads the secret or creates it (32 random bytes, file mode 0600). */
export function loadOrCreateDeviceSecret(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) return Buffer.from(fromEnv, 'utf8');
  const path = join(dataDir, DEVICE_SECRET_FILE);
  return existsSync(path) ? readKeyFile(path) : createKeyFile(path);
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
    mkdirSync(this.#keysDir, { recursive: true, mode: FOLDER_MODE });
    mkdirSync(this.#reviewDir, { recursive: true, mode: FOLDER_MODE });
  }

  /** The key of `now`'s UTC day; the first call of a new day rotates. */
  keyOf(now: Date): { day: string; key: Buffer; rotated: boolean } {
    const day = utcDay(now);
    if (this.#current?.day === day) return { ...this.#current, rotated: false };
    const path = join(this.#keysDir, `address-${day}.key`);
    const key = existsSync(path) ? readKeyFile(path) : createKeyFile(path);
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

/** The file store's secrets: the device-cookie secret read at open, the address keys of DailyKeys. */
export class FileSecrets implements Secrets {
  constructor(
    readonly deviceSecret: Buffer,
    readonly dailyKeys: DailyKeys,
  ) {}

  async deviceCookieSecret(): Promise<Buffer> {
    return this.deviceSecret;
  }

  async addressKeyOfDay(now: Date): Promise<{ day: string; key: Buffer }> {
    const { day, key } = this.dailyKeys.keyOf(now);
    return { day, key };
  }
}
