/** The storage contract on the file store (a temporary DATA_DIR per scenario). */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { FileStore } from '../../src/server/store/file-store';
import type { Store } from '../../src/server/store/store';
import { storeContract } from '../support/store-contract';

const folders = new Map<Store, string>();

afterAll(() => {
  for (const folder of new Set(folders.values())) rmSync(folder, { recursive: true, force: true });
});

async function open(dataDir: string, now?: () => Date): Promise<Store> {
  const store = await FileStore.open({
    dataDir,
    command: 'store contract',
    log: () => undefined,
    ...(now ? { now } : {}),
  });
  folders.set(store, dataDir);
  return store;
}

storeContract('file store', () => ({
  open: (options = {}) => open(mkdtempSync(join(tmpdir(), 'store-contract-')), options.now),
  reopen: async (store) => {
    await store.close();
    return open(folders.get(store) as string);
  },
  storedText: async (store) => {
    const folder = folders.get(store) as string;
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'latin1'))
      .join('\n');
  },
}));
