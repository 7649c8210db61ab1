/**
 * The store of this process: PostgreSQL when DATABASE_URL is set (several processes may share it),
 * else the file store in DATA_DIR (one writer per folder). Opened once — at process start by
 * `startup.ts` (so a refused lock or an unreachable database stops the start before the server
 * listens), or lazily on first use under `astro dev`. The CLI scripts open it the same way.
 * Kept on globalThis so a dev-server module reload does not open a second store in one process.
 */
import { serverConfig } from '~/server/config';
import { FileStore } from './file-store';
import type { PgStore } from './pg-store';
import type { Store } from './store';

export type PortalStore = FileStore | PgStore;

/** Opens the configured store for `command` (shown to whoever finds the lock taken, or in pg_stat_activity). */
export async function openConfiguredStore(command: string, log: (message: string) => void): Promise<PortalStore> {
  const config = serverConfig();
  if (config.DATABASE_URL) {
    // Loaded only when configured: a file-store deployment never loads the PostgreSQL driver.
    const { PgStore } = await import('./pg-store');
    return PgStore.open({
      connectionString: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
      command,
      deviceCookieSecret: config.DEVICE_COOKIE_SECRET,
      log,
    });
  }
  return FileStore.open({
    dataDir: config.DATA_DIR,
    command,
    deviceCookieSecret: config.DEVICE_COOKIE_SECRET,
    snapshotEveryBallots: config.SNAPSHOT_EVERY_BALLOTS,
    log,
  });
}

const holder = globalThis as typeof globalThis & { __portalStore?: Promise<PortalStore> };

export function openProcessStore(): Promise<PortalStore> {
  holder.__portalStore ??= openConfiguredStore(`portal server (${process.argv.slice(1).join(' ')})`, (message) =>
    console.warn(`[store] ${message}`),
  );
  return holder.__portalStore;
}

export function getStore(): Promise<Store> {
  return openProcessStore();
}
