/**
 * How fast a publication reaches readers with the live site (issue 11), and what readers feel meanwhile.
 *
 *   npm run build && npm run bench:publish               # N = 80 and N = 10,000, 3 runs each
 *   npm run bench:publish -- --n 10000 --runs 1
 *
 * For each N (announcements in all: the 80 real sample ones plus synthetic ones marked `example: true`
 * and titled 示例, stored through the store port in a throwaway PostgreSQL): starts the built server,
 * waits for its first live search index, then per run publishes one new announcement through the
 * store's publications port (from this process, as a second instance would: the server hears of it
 * over LISTEN/NOTIFY) and prints the seconds until (a) its page, (b) the feed and (c) search have it (through
 * the live index's delta), and (d) until the background rebuild of the base index has it too, with
 * readers' latency (home page, the list, an announcement page; several readers at once) while idle
 * and during the publish, and the server's memory and CPU (Pagefind's process included).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { availableParallelism, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { Announcement } from '../src/lib/content-schemas';
import type { Publication } from '../src/lib/publishing/model';
import { paths } from '../src/paths';
import { PgStore } from '../src/server/store/pg-store';
import { startPostgres, type PostgresServer } from '../tests/support/postgres';
import { startServer, type RunningServer } from '../tests/support/server';
import { searchSite } from '../tests/support/pagefind-search';
import { treeCpuSeconds, treeRss } from './lib/process-tree';
import { random, readExplanations, syntheticAnnouncement } from './lib/synthetic-announcements';
import { slugify, uniqueSlug } from '../src/lib/text/slug';

const root = resolve(import.meta.dirname, '..');
const SAMPLE_ANNOUNCEMENTS = 80;

const { values } = parseArgs({
  options: {
    n: { type: 'string', multiple: true },
    runs: { type: 'string', default: '3' },
    readers: { type: 'string', default: '4' },
    'idle-seconds': { type: 'string', default: '10' },
  },
});
const sizes = (values.n ?? ['80', '10000']).flatMap((v) => v.split(',')).map((v) => Number(v.replace(/_/g, '')));
const runs = Number(values.runs);
const readerCount = Number(values.readers);
const idleSeconds = Number(values['idle-seconds']);
if (sizes.some((n) => !Number.isInteger(n) || n < SAMPLE_ANNOUNCEMENTS) || !(runs >= 1) || !(readerCount >= 1)) {
  console.error(
    `--n 须为不小于 ${SAMPLE_ANNOUNCEMENTS} 的整数（含 ${SAMPLE_ANNOUNCEMENTS} 条真实公告），--runs、--readers 须为正整数`,
  );
  process.exit(1);
}

/** Longest wait for one publication to show up before the run counts as failed. */
const VISIBLE_WITHIN_MS = 180_000;
/** Longest wait for a base index build (the first at start, or the rebuild after a publish): minutes at 10,000. */
const BASE_BUILT_WITHIN_MS = 900_000;
/** Made-up brands, one per run: words no real record has, so a hit can only be the new announcement. */
const BRANDS = ['琉璃鹳', '翡翠鹬', '珊瑚鹟', '玳瑁鸮', '琥珀鹡'];

const iso = () => new Date().toISOString();
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ---------------------------------------------------------------------------------------------
// Content

function storedAnnouncement(
  slug: string,
  data: Announcement,
): Omit<Publication<'announcements'>, 'id' | 'version' | 'createdAt' | 'updatedAt'> {
  return {
    kind: 'announcements',
    slug,
    revisions: [{ number: 1, data, publishedAt: iso(), preparedBy: 'bench', approvedBy: null, correctionNote: null }],
    draft: null,
    withdrawal: null,
    attachments: [],
    createdBy: 'bench',
  };
}

/** Stores `count` synthetic announcements (published), a few at a time; returns one slug to read. */
async function seed(store: PgStore, count: number): Promise<string | null> {
  const explanations = readExplanations(resolve(root, 'content'));
  const next = random(20250318);
  const taken = new Set<string>();
  let sampleSlug: string | null = null;
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const data = syntheticAnnouncement(i, next, explanations);
    const slug = uniqueSlug(`shi-li-${slugify(`${data.date.year} ${data.region} ${data.category}`, 40)}`, taken);
    if (!sampleSlug && data.failedProducts.length >= 4) sampleSlug = slug;
    pending.push(store.publications.create(storedAnnouncement(slug, data)));
    if (pending.length >= 16) await Promise.all(pending.splice(0));
    if ((i + 1) % 1000 === 0) process.stdout.write(`${i + 1} `);
  }
  await Promise.all(pending);
  return sampleSlug;
}

function newAnnouncement(run: number, brand: string): Announcement {
  const explanations = readExplanations(resolve(root, 'content'));
  const data = syntheticAnnouncement(900_000 + run, random(run + 1), explanations);
  // Dated today, so that it leads the feed (which lists the newest first).
  const today = iso().slice(0, 10);
  return {
    ...data,
    date: { text: today, iso: today, year: Number(today.slice(0, 4)) },
    firstPublishedAt: today,
    title: `示例：${brand}牌产品质量监督抽查结果（基准测试第 ${run + 1} 次发布）`,
    failedProducts: [
      {
        productName: `${data.category}（示例）`,
        brand,
        modelSpec: null,
        batchOrDate: null,
        manufacturer: `示例${brand}有限公司`,
        sampledUnit: null,
        failedItems: [{ text: '标识（示例）' }],
        inspectionBody: null,
      },
    ],
    batches: { sampled: 10, failed: 1 },
  };
}

// ---------------------------------------------------------------------------------------------
// Readers and measurements

interface ReaderStats {
  latencies: number[];
  errors: number;
}

/**
 * The readers run in a worker thread: this process also polls the search (Pagefind's WebAssembly in
 * Node), which would otherwise hold up the readers' own event loop and be counted as the server's delay.
 */
const READER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { baseUrl, pages, readers } = workerData;
const latencies = [];
let errors = 0;
let running = true;
parentPort.once('message', () => (running = false));
async function reader(offset) {
  for (let i = offset; running; i++) {
    const started = performance.now();
    try {
      const response = await fetch(baseUrl + pages[i % pages.length]);
      await response.arrayBuffer();
      if (response.status === 200) latencies.push(performance.now() - started);
      else errors++;
    } catch {
      errors++;
    }
  }
}
Promise.all(Array.from({ length: readers }, (_, i) => reader(i))).then(() => parentPort.postMessage({ latencies, errors }));
`;

/** `readerCount` readers fetching the home page, the list and an announcement page in turn until stopped. */
function startReaders(baseUrl: string, pages: string[]): { stop: () => Promise<ReaderStats> } {
  const worker = new Worker(READER_THREAD, { eval: true, workerData: { baseUrl, pages, readers: readerCount } });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const [stats] = (await once(worker, 'message')) as [ReaderStats];
      await worker.terminate();
      return stats;
    },
  };
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Peak memory and CPU of the server's process tree over a stretch of time. */
function startSampling(pid: number): {
  stop: () => { peakRss: number | null; cpuSeconds: number | null; seconds: number };
} {
  const started = performance.now();
  const cpuBefore = treeCpuSeconds(pid);
  let peakRss = treeRss(pid);
  const timer = setInterval(() => {
    const rss = treeRss(pid);
    if (rss !== null) peakRss = Math.max(peakRss ?? 0, rss);
  }, 200);
  return {
    stop: () => {
      clearInterval(timer);
      const cpuAfter = treeCpuSeconds(pid);
      return {
        peakRss,
        cpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
        seconds: (performance.now() - started) / 1000,
      };
    },
  };
}

/** Seconds from `since` until `check` first holds, polling every `everyMs`. */
async function secondsUntil(since: number, everyMs: number, check: () => Promise<boolean>): Promise<number | null> {
  while (performance.now() - since < VISIBLE_WITHIN_MS) {
    try {
      if (await check()) return (performance.now() - since) / 1000;
    } catch {
      // Not there yet (or the server was busy): ask again.
    }
    await sleep(everyMs);
  }
  return null;
}

async function waitForLog(
  server: RunningServer,
  pattern: RegExp,
  fromLength: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (pattern.test(server.output().slice(fromLength))) return true;
    await sleep(200);
  }
  return false;
}

interface RunRow {
  page: number | null;
  feed: number | null;
  /** Until search has it (through the live index's delta). */
  search: number | null;
  /** The delta build's own seconds, as the server logs them. */
  deltaBuild: number | null;
  /** Until the base index (rebuilt in the background) has it. */
  baseRebuild: number | null;
  idle: { p50: number | null; p99: number | null; errors: number; count: number };
  during: { p50: number | null; p99: number | null; errors: number; count: number };
  rssIdle: number | null;
  rssPeak: number | null;
  cpuSeconds: number | null;
  windowSeconds: number;
}

const summary = (stats: ReaderStats) => ({
  p50: percentile(stats.latencies, 50),
  p99: percentile(stats.latencies, 99),
  errors: stats.errors,
  count: stats.latencies.length + stats.errors,
});

async function benchSize(postgres: PostgresServer, n: number): Promise<RunRow[]> {
  const databaseUrl = await postgres.createDatabase();
  const store = await PgStore.open({ connectionString: databaseUrl, command: 'bench:publish', log: () => {} });
  let server: RunningServer | null = null;
  try {
    process.stdout.write(`\nN = ${n.toLocaleString('en')}：写入 ${n - SAMPLE_ANNOUNCEMENTS} 条示例公告… `);
    const seeded = await seed(store, n - SAMPLE_ANNOUNCEMENTS);
    process.stdout.write('启动服务器… ');
    server = await startServer({
      env: { DATABASE_URL: databaseUrl, PORTAL_CLOCK_START: iso(), RATE_LIMITS: 'off' },
    });
    // The server indexes its catalogue once at start (the base index the deltas are built over): runs
    // start once that index is in service, so each run's base rebuild is the one its publish started.
    const firstIndex = await waitForLog(server, /\[search\] 搜索索引已更新/, 0, BASE_BUILT_WITHIN_MS);
    console.log(firstIndex ? '首个实时搜索索引已建好。' : '（首个实时搜索索引未在时限内建好）');
    const announcementPage = paths.announcement(seeded ?? (await store.publications.listPublic())[0]?.slug ?? '');
    const pages = [paths.home(), paths.announcements(), announcementPage];
    const rows: RunRow[] = [];
    for (let run = 0; run < runs; run++) {
      const brand = BRANDS[run % BRANDS.length]!;
      const rssIdle = treeRss(server.process.pid!);
      const idleReaders = startReaders(server.url, pages);
      await sleep(idleSeconds * 1000);
      const idle = summary(await idleReaders.stop());

      const logLength = server.output().length;
      const sampling = startSampling(server.process.pid!);
      const readers = startReaders(server.url, pages);
      const since = performance.now();
      const slug = `shi-li-bench-publish-${run + 1}`;
      const stored = await store.publications.create(storedAnnouncement(slug, newAnnouncement(run, brand)));
      if (!stored) throw new Error(`slug ${slug} is taken`);
      const pageUrl = `${server.url}${paths.announcement(slug)}`;
      const [page, feed, search] = await Promise.all([
        secondsUntil(since, 100, async () => (await fetch(pageUrl)).status === 200),
        secondsUntil(since, 200, async () =>
          (await (await fetch(`${server!.url}${paths.announcementsFeed()}`)).text()).includes(paths.announcement(slug)),
        ),
        secondsUntil(since, 500, async () =>
          (await searchSite(server!.url, brand)).some((hit) => hit.url === paths.announcement(slug)),
        ),
      ]);
      // Readers keep reading until the base index build this publish started has finished too.
      const baseRebuild = (await waitForLog(server, /\[search\] 搜索索引已更新/, logLength, BASE_BUILT_WITHIN_MS))
        ? (performance.now() - since) / 1000
        : null;
      const during = summary(await readers.stop());
      const used = sampling.stop();
      // The server's own account of the delta build (records, then the Pagefind bundle) for this publish.
      const deltaLine = /\[search\] 增量索引已启用：.*用时 ([\d.]+) 秒/.exec(server.output().slice(logLength));
      const row = {
        page,
        feed,
        search,
        deltaBuild: deltaLine ? Number(deltaLine[1]) : null,
        baseRebuild,
        idle,
        during,
        rssIdle,
        rssPeak: used.peakRss,
        cpuSeconds: used.cpuSeconds,
        windowSeconds: used.seconds,
      };
      rows.push(row);
      console.log(`  第 ${run + 1} 次：${formatRun(row)}`);
    }
    return rows;
  } finally {
    await server?.stop();
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const s = (value: number | null) => (value === null ? '超时' : `${value.toFixed(1)} s`);
const ms = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(0)} ms`);
const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

function formatRun(row: RunRow): string {
  return (
    `页面 ${s(row.page)}，订阅 ${s(row.feed)}，搜索（增量索引）${s(row.search)}（其中增量构建 ${row.deltaBuild === null ? '无记录' : `${row.deltaBuild.toFixed(1)} s`}），基础索引重建 ${s(row.baseRebuild)}；` +
    `读者 p50/p99 空闲 ${ms(row.idle.p50)}/${ms(row.idle.p99)}（${row.idle.count} 次，错误 ${row.idle.errors}），` +
    `发布期间 ${ms(row.during.p50)}/${ms(row.during.p99)}（${row.during.count} 次，错误 ${row.during.errors}）；` +
    `内存 空闲 ${mb(row.rssIdle)} 峰值 ${mb(row.rssPeak)}；CPU ${row.cpuSeconds?.toFixed(1) ?? 'n/a'} s / ${row.windowSeconds.toFixed(1)} s`
  );
}

function median(values: (number | null)[]): number | null {
  if (values.some((value) => value === null)) return null;
  return percentile(values as number[], 50);
}

function formatMedian(rows: RunRow[]): string {
  const pick = (f: (row: RunRow) => number | null) => median(rows.map(f));
  return formatRun({
    page: pick((r) => r.page),
    feed: pick((r) => r.feed),
    search: pick((r) => r.search),
    deltaBuild: pick((r) => r.deltaBuild),
    baseRebuild: pick((r) => r.baseRebuild),
    idle: {
      p50: pick((r) => r.idle.p50),
      p99: pick((r) => r.idle.p99),
      count: pick((r) => r.idle.count) ?? 0,
      errors: Math.max(...rows.map((r) => r.idle.errors)),
    },
    during: {
      p50: pick((r) => r.during.p50),
      p99: pick((r) => r.during.p99),
      count: pick((r) => r.during.count) ?? 0,
      errors: Math.max(...rows.map((r) => r.during.errors)),
    },
    rssIdle: pick((r) => r.rssIdle),
    rssPeak: pick((r) => r.rssPeak),
    cpuSeconds: pick((r) => r.cpuSeconds),
    windowSeconds: pick((r) => r.windowSeconds) ?? 0,
  });
}

console.log(
  `机器：${availableParallelism()} 核，内存 ${mb(totalmem())}，Node ${process.version}；读者 ${readerCount} 个并发，每次 ${runs} 轮（负载高时用时会偏长）`,
);
const postgres = await startPostgres({ fsync: false });
const results = new Map<number, RunRow[]>();
let failed = false;
try {
  for (const n of sizes) {
    try {
      results.set(n, await benchSize(postgres, n));
    } catch (error) {
      failed = true;
      console.error(`N = ${n} 失败：`, error);
    }
  }
} finally {
  await postgres.stop();
}

console.log(
  '\n实时发布：从签发到 (a) 页面 (b) 订阅 (c) 搜索（增量索引）可见、(d) 基础索引重建完成的秒数；读者延迟；服务器（含 Pagefind 进程）内存与 CPU',
);
for (const [n, rows] of results) {
  console.log(`\nN = ${n.toLocaleString('en')}`);
  rows.forEach((row, i) => console.log(`  第 ${i + 1} 次：${formatRun(row)}`));
  console.log(`  中位数：${formatMedian(rows)}`);
  if (rows.some((row) => row.during.errors > 0 || row.idle.errors > 0)) failed = true;
  if (rows.some((row) => row.page === null || row.feed === null || row.search === null)) failed = true;
  if (rows.some((row) => row.baseRebuild === null)) failed = true;
}

if (failed) process.exit(1);
