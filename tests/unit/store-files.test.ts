/**
 * The file store refuses to start on store files it cannot trust (naming the file, changing
 * nothing), keeps its folder and files private, and pages a large audit log in bounded time and memory.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linesFromEnd } from '../../src/server/store/file/audit-log';
import { FileStore } from '../../src/server/store/file-store';

let dataDir: string;
const open = (options: { auditMaxFileBytes?: number } = {}) =>
  FileStore.open({ dataDir, command: 'store-files test', log: () => undefined, ...options });

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'store-files-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('portal.json of the wrong shape', () => {
  const cases: [string, string][] = [
    ['null', 'null'],
    ['an array', '[]'],
    ['a list of the wrong type', JSON.stringify({ version: 1, staff: 'alice' })],
    [
      'a field of the wrong type',
      JSON.stringify({ version: 1, staff: [{ id: 'u_1', username: 'alice', role: 'admin', passwordHash: 7 }] }),
    ],
    ['a truncated file', '{"version":1,"staff":[{"id":"u_1","userna'],
  ];
  for (const [name, content] of cases) {
    it(`refuses to start on ${name}, naming the file, and leaves it as it was`, async () => {
      const path = join(dataDir, 'portal.json');
      writeFileSync(path, content);
      await expect(open()).rejects.toThrow(path);
      expect(readFileSync(path, 'utf8')).toBe(content);
      // The lock was given back: a fixed file opens.
      writeFileSync(path, JSON.stringify({ version: 1 }));
      await (await open()).close();
    });
  }
});

describe('key files', () => {
  const cases: [string, string, string][] = [
    ['device-cookie.secret', 'device-cookie.secret', 'not hex at all'],
    ['a short device-cookie.secret', 'device-cookie.secret', 'abcd'],
    ["today's address key", join('keys', `address-${new Date().toISOString().slice(0, 10)}.key`), 'zz'.repeat(32)],
  ];
  for (const [name, file, content] of cases) {
    it(`refuses ${name} that does not decode to 32 bytes, naming the file`, async () => {
      mkdirSync(join(dataDir, 'keys'), { recursive: true });
      writeFileSync(join(dataDir, file), content);
      await expect(open()).rejects.toThrow(join(dataDir, file));
    });
  }
});

it('makes the data folder 0700 and its files 0600', async () => {
  chmodSync(dataDir, 0o755);
  const store = await open();
  await store.staff.create({ username: 'alice', role: 'admin', passwordHash: 'hash' });
  await store.audit.append({ actor: 'alice', action: 'login', target: null, outcome: 'ok', detail: null });
  await store.close();
  expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  for (const file of ['portal.json', 'audit.jsonl', 'ballots.jsonl', 'device-cookie.secret']) {
    expect([file, statSync(join(dataDir, file)).mode & 0o777]).toEqual([file, 0o600]);
  }
});

describe('audit log', () => {
  it('pages 200,000 entries newest first in bounded time and memory', async () => {
    const lines: string[] = [];
    for (let index = 0; index < 200_000; index += 1) {
      lines.push(
        JSON.stringify({
          id: `a_${index}`,
          at: '2027-03-15T02:00:00.000Z',
          actor: null,
          action: 'login',
          target: `guess-${index}`,
          outcome: 'denied',
          detail: 'x'.repeat(200),
        }),
      );
    }
    writeFileSync(join(dataDir, 'audit.jsonl'), `${lines.join('\n')}\n`);
    lines.length = 0;
    const store = await open();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const first = await store.audit.list({ limit: 50, offset: 0 });
    const deep = await store.audit.list({ limit: 50, offset: 1_000 });
    const milliseconds = performance.now() - started;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(first.total).toBe(200_000);
    expect(first.entries.map((entry) => entry.id).slice(0, 2)).toEqual(['a_199999', 'a_199998']);
    expect(deep.entries[0]?.id).toBe('a_198999');
    // The file is ~50 MB: reading it into one string would take far more of both.
    expect(milliseconds).toBeLessThan(500);
    expect(heapGrowth).toBeLessThan(16 * 1024 * 1024);
    await store.close();
  }, 60_000);

  it('rotates at its size limit, keeps a bounded number of files and pages across them', async () => {
    const store = await open({ auditMaxFileBytes: 2_000 });
    for (let index = 0; index < 120; index += 1) {
      await store.audit.append({ actor: 'alice', action: 'login', target: `t${index}`, outcome: 'ok', detail: null });
    }
    const page = await store.audit.list({ limit: 200, offset: 0 });
    expect(page.entries[0]?.target).toBe('t119');
    expect(page.entries.map((entry) => entry.target)).toEqual(
      [...page.entries.map((entry) => entry.target)].sort((a, b) => Number(b?.slice(1)) - Number(a?.slice(1))),
    );
    expect(page.total).toBe(page.entries.length);
    expect(page.total).toBeLessThan(120);
    for (const name of ['audit.jsonl', 'audit.jsonl.1', 'audit.jsonl.4'])
      expect(statSync(join(dataDir, name)).size).toBeLessThanOrEqual(2_000);
    expect(() => statSync(join(dataDir, 'audit.jsonl.5'))).toThrow();
    const crossing = await store.audit.list({
      limit: 3,
      offset: (await store.audit.list({ limit: 1, offset: 0 })).total - 2,
    });
    expect(crossing.entries).toHaveLength(2);
    await store.close();
  });

  it('reads a file backwards line by line', async () => {
    const path = join(dataDir, 'lines.txt');
    writeFileSync(path, `${Array.from({ length: 30_000 }, (_, index) => `第${index}行`).join('\n')}\n`);
    const seen: string[] = [];
    for await (const line of linesFromEnd(path)) seen.push(line);
    expect(seen).toHaveLength(30_000);
    expect([seen[0], seen[29_999]]).toEqual(['第29999行', '第0行']);
  });
});
