/**
 * What a route-cache miss costs on the live public site at a large archive: the time to render the
 * home page, the announcement list, the statistics and an announcement page from the catalogue when
 * the cache does not have them (as right after a publication invalidates them), next to a cache hit.
 *
 *   npm run build && npx tsx scripts/bench-cache-miss.ts            # 10,000 announcements
 *   npx tsx scripts/bench-cache-miss.ts --n 1000 --rounds 20
 *   npx tsx scripts/bench-cache-miss.ts --data-dir /tmp/archive   # fill once, keep it for the next run
 *
 * Fills a temporary file store with N published announcements (made from the real sample files,
 * marked `example: true` and titled 示例), starts the built server (`dist/server/entry.mjs`) on it,
 * and asks each page under distinct keyed query values (`?page=k`, each its own cache entry), so every
 * timed request renders. Prints the median and the slowest of each, and the server's start time.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { announcementSchema, type Announcement } from '../src/lib/content-schemas';
import { FileStore } from '../src/server/store/file-store';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '10' },
    'data-dir': { type: 'string' },
  },
});
const count = Number(values.n);
const rounds = Number(values.rounds);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(rounds) || rounds < 1)
  throw new Error('--n and --rounds take whole numbers of at least 1');

const samples: Announcement[] = readdirSync(join(root, 'content', 'announcements'))
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) =>
    announcementSchema.parse(JSON.parse(readFileSync(join(root, 'content', 'announcements', name), 'utf8'))),
  );

/** The i-th synthetic announcement: a real sample under a new title, on a day of the last ten years. */
function synthetic(index: number): Announcement {
  const sample = samples[index % samples.length]!;
  const day = new Date(Date.UTC(2016, 0, 1) + (index % 3650) * 86_400_000).toISOString().slice(0, 10);
  return {
    ...sample,
    title: `示例 ${index + 1}：${sample.title}`,
    titleComposed: false,
    date: { text: day, iso: day, year: Number(day.slice(0, 4)) },
    firstPublishedAt: day,
    example: true,
  };
}

async function fill(dataDir: string): Promise<void> {
  const store = await FileStore.open({ dataDir, command: 'bench-cache-miss', log: () => undefined });
  try {
    for (let index = 0; index < count; index += 1) {
      const data = synthetic(index);
      const revision = {
        number: 1,
        data,
        publishedAt: `${data.firstPublishedAt}T02:00:00Z`,
        preparedBy: 'bench',
        approvedBy: null,
        correctionNote: null,
      };
      await store.publications.create({
        kind: 'announcements',
        slug: `bench-${index + 1}`,
        revisions: [revision],
        draft: null,
        withdrawal: null,
        attachments: [],
        createdBy: 'bench',
      });
    }
  } finally {
    await store.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

async function timed(url: string): Promise<{ ms: number; cache: string | null; status: number }> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return { ms: performance.now() - started, cache: response.headers.get('x-astro-cache'), status: response.status };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const format = (ms: number) => `${ms.toFixed(0)} ms`;

async function main(): Promise<void> {
  const kept = values['data-dir'];
  const dataDir = kept ?? mkdtempSync(join(tmpdir(), 'portal-bench-cache-'));
  const port = await freePort();
  if (kept && existsSync(join(kept, 'publications'))) {
    console.log(`沿用 ${kept} 中已写入的公告`);
  } else {
    const fillStarted = performance.now();
    await fill(dataDir);
    console.log(`${count} 条公告写入文件存储：${format(performance.now() - fillStarted)}`);
  }

  const startedAt = performance.now();
  const server = spawn(process.execPath, [join(root, 'dist', 'server', 'entry.mjs')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((wait) => setTimeout(wait, 100));
    }
    console.log(
      `服务器启动（含构建 ${count + samples.length} 条公告的目录）：${format(performance.now() - startedAt)}`,
    );

    const pages = { 首页: '/', 公告列表: '/announcements/', 统计: '/stats/', 公告页: '/announcements/bench-1/' };
    // The first render of each page also loads its code: not a miss a reader meets later.
    for (const path of Object.values(pages)) await timed(`${base}${path}`);
    console.log(`\n| 页面 | 未命中缓存（中位数） | 未命中（最慢） | 命中缓存（中位数） |`);
    console.log(`| ---- | ---- | ---- | ---- |`);
    for (const [name, path] of Object.entries(pages)) {
      const misses: number[] = [];
      const hits: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        const url = `${base}${path}?page=${round + 2}`;
        const miss = await timed(url);
        if (miss.cache !== 'MISS') throw new Error(`${url}: expected a cache miss, got ${miss.cache} (${miss.status})`);
        misses.push(miss.ms);
        const hit = await timed(url);
        if (hit.cache !== 'HIT') throw new Error(`${url}: expected a cache hit, got ${hit.cache}`);
        hits.push(hit.ms);
      }
      console.log(`| ${name} | ${format(median(misses))} | ${format(Math.max(...misses))} | ${format(median(hits))} |`);
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((done) => server.once('exit', done));
    if (!kept) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
