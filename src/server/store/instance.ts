/**
 * The store of this server process. Opened once — at process start by `startup.ts` (so the writer
 * lock is taken before the server listens), or lazily on first use under `astro dev`.
 * Kept on globalThis so a dev-server module reload does not open a second store in one process.
 */
import { serverConfig } from '../config';
import { FileStore } from './file-store';
import type { VotingStore } from './store';

const holder = globalThis as typeof globalThis & { __portalStore?: Promise<FileStore> };

export function openProcessStore(): Promise<FileStore> {
  if (!holder.__portalStore) {
    const config = serverConfig();
    holder.__portalStore = FileStore.open({
      dataDir: config.DATA_DIR,
      command: `portal server (${process.argv.slice(1).join(' ')})`,
      deviceCookieSecret: config.DEVICE_COOKIE_SECRET,
      snapshotEveryBallots: config.SNAPSHOT_EVERY_BALLOTS,
      log: (message) => console.warn(`[store] ${message}`),
    });
  }
  return holder.__portalStore;
}

export function getStore(): Promise<VotingStore> {
  return openProcessStore();
}
