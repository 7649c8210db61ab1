/**
 * Staff writes are acknowledged only once durable: portal.json (replaced by rename) and the audit log
 * (appended) are fsynced, and so is the folder naming them. The real file system is used; the fs
 * functions are only wrapped to record which paths were synced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

const synced: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (path, ...rest) => {
    const handle = await actual.open(path, ...rest);
    const record = (sync: () => Promise<void>) => async () => {
      await sync();
      synced.push(String(path));
    };
    handle.sync = record(handle.sync.bind(handle));
    handle.datasync = record(handle.datasync.bind(handle));
    return handle;
  };
  return { ...actual, open, default: { ...actual, open } };
});

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const paths = new Map<number, string>();
  const openSync: typeof actual.openSync = (path, ...rest) => {
    const fd = actual.openSync(path, ...rest);
    paths.set(fd, String(path));
    return fd;
  };
  const fsyncSync: typeof actual.fsyncSync = (fd) => {
    actual.fsyncSync(fd);
    synced.push(paths.get(fd) ?? `fd ${fd}`);
  };
  return { ...actual, openSync, fsyncSync, default: { ...actual, openSync, fsyncSync } };
});

const { FileStore } = await import('../../src/server/store/file-store');

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'store-durability-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

it('fsyncs portal.json and its folder before a staff change resolves', async () => {
  const store = await FileStore.open({ dataDir, command: 'durability test', log: () => undefined });
  synced.length = 0;
  await store.staff.create({ username: 'alice', role: 'admin', passwordHash: 'hash' });
  expect(synced).toContain(join(dataDir, 'portal.json.tmp'));
  expect(synced).toContain(dataDir);
  await store.close();
});

it('fsyncs the audit log before an entry resolves, and the folder when the file is new', async () => {
  const store = await FileStore.open({ dataDir, command: 'durability test', log: () => undefined });
  synced.length = 0;
  await store.audit.append({ actor: 'alice', action: 'login', target: null, outcome: 'ok', detail: null });
  expect(synced).toEqual([join(dataDir, 'audit.jsonl'), dataDir]);
  await store.close();
});
