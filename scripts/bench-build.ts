/**
 * How the static build scales with the number of announcements.
 *
 *   npm run bench:build                 # N = 1,000 and 10,000
 *   npm run bench:build -- --n 1000     # one size (repeat --n for several)
 *   npm run bench:build -- --n 1000 --keep   # keep the temporary site to look at it
 *
 * For each N: copies content/ to a temporary folder, adds N synthetic announcements (marked
 * `example: true`, titled 示例, linking failed items to the real explanations), then runs the
 * project's real build pieces — `astro build` and `pagefind` — with CONTENT_DIR pointing there and
 * the output in bench-out/ (git-ignored) and Astro's cache in the temporary folder, so the repo's
 * dist/ and build cache are untouched.
 * Prints build time, pages per second, peak memory and the bytes one announcement page ships.
 */
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  announcementSchema,
  explanationSchema,
  type Announcement,
  type FailedProduct,
} from '../src/lib/content-schemas';
import { slugify, uniqueSlug } from '../src/lib/text/slug';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    n: { type: 'string', multiple: true },
    keep: { type: 'boolean', default: false },
  },
});
const sizes = (values.n ?? ['1000', '10000']).flatMap((v) => v.split(',')).map((v) => Number(v.replace(/_/g, '')));
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error('--n 须为正整数，例如 --n 1000');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Synthetic content

/** Small deterministic PRNG (mulberry32): every run builds the same site. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = [
  '上海市',
  '上海市青浦区',
  '上海市浦东新区',
  '上海市闵行区',
  '上海市松江区',
  '江苏省',
  '浙江省杭州市',
  '广东省深圳市',
  '全国',
];
const STAGE_NOTES = ['生产领域', '流通领域（商场、超市）', '电商平台销售', '生产企业、实体店和电商平台'];
const BRANDS = ['示例牌', '甲乙', '丙丁', '无', '/', '优品', '星辰', '安家'];

interface ExplanationRef {
  slug: string;
  aliases: string[];
  category: string;
}

function readExplanations(contentDir: string): ExplanationRef[] {
  const dir = join(contentDir, 'explanations');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const e = explanationSchema.parse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      return { slug: name.replace(/\.json$/, ''), aliases: e.aliases, category: e.category };
    })
    .filter((e) => e.aliases.length > 0);
}

function syntheticAnnouncement(
  index: number,
  next: () => number,
  explanations: readonly ExplanationRef[],
): Announcement {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const explanation = pick(explanations);
  const related = explanations.filter((e) => e.category === explanation.category);
  const category = explanation.category;
  const region = pick(REGIONS);
  const year = 2015 + Math.floor(next() * 11);
  const iso = `${year}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
  const failedCount = Math.floor(next() * 9); // 0–8
  const sampled = failedCount + 5 + Math.floor(next() * 60);
  const failedProducts: FailedProduct[] = Array.from({ length: failedCount }, (_, p) => ({
    productName: `${category.split(/[、（(]/)[0]}（示例${p + 1}）`,
    brand: pick(BRANDS),
    modelSpec: `XL-${100 + Math.floor(next() * 900)}`,
    batchOrDate: `${year - 1}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}`,
    manufacturer: `示例${pick(['电器', '纺织', '塑料', '线缆', '五金'])}有限公司${p + 1}号`,
    sampledUnit: `示例商店${Math.floor(next() * 500)}`,
    failedItems: Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
      const e = pick(related);
      return { text: `${pick(e.aliases)}（实测值不符合标准要求）`, explanation: e.slug };
    }),
    inspectionBody: '示例检测中心',
  }));
  return announcementSchema.parse({
    title: `示例：${year}年${region}${category}产品质量监督抽查结果（第${index + 1}号）`,
    issuer: `${region}市场监督管理局（示例）`,
    date: { text: iso, iso, year },
    category,
    region,
    stages: [],
    stageNote: pick(STAGE_NOTES),
    batches: { sampled, failed: failedCount },
    summary: `示例数据：本次抽查${category}${sampled}批次，发现${failedCount}批次不合格。基准测试生成，非真实公告。`,
    failedProducts,
    source: { url: `https://example.org/bench/${index + 1}`, note: '基准测试生成的示例数据' },
    example: true,
  });
}

function prepareContent(work: string, count: number): { contentDir: string; samplePage: string } {
  const contentDir = join(work, 'content');
  cpSync(join(root, 'content'), contentDir, { recursive: true });
  const explanations = readExplanations(contentDir);
  const dir = join(contentDir, 'announcements');
  const taken = new Set(readdirSync(dir).map((name) => name.replace(/\.json$/, '')));
  const next = random(20250318);
  let samplePage = '';
  for (let i = 0; i < count; i++) {
    const a = syntheticAnnouncement(i, next, explanations);
    const slug = uniqueSlug(`shi-li-${slugify(`${a.date.year} ${a.region} ${a.category}`, 40)}`, taken);
    writeFileSync(join(dir, `${slug}.json`), JSON.stringify(a));
    // The page measured: a typical one, with failed products and explanation links.
    if (!samplePage && a.failedProducts.length >= 4) samplePage = slug;
  }
  return { contentDir, samplePage };
}

// ---------------------------------------------------------------------------------------------
// Running and measuring

interface RunResult {
  code: number | null;
  seconds: number;
  /** Highest total resident memory of the process tree, sampled every 100 ms (bytes). */
  peakTreeRss: number | null;
  output: string;
}

function treeRss(pid: number): number | null {
  if (!existsSync('/proc')) return null;
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop()!;
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${current}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // Ended.
    }
    stack.push(...(children.get(current) ?? []));
  }
  return total;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let peak: number | null = null;
    const sampler = setInterval(() => {
      const rss = child.pid ? treeRss(child.pid) : null;
      if (rss !== null) peak = Math.max(peak ?? 0, rss);
    }, 100);
    child.on('close', (code) => {
      clearInterval(sampler);
      resolveRun({ code, seconds: (performance.now() - started) / 1000, peakTreeRss: peak, output });
    });
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The HTML of one page plus every CSS and JS file it loads, following JS imports. */
function pageWeight(
  clientDir: string,
  pagePath: string,
): { files: number; raw: number; gzip: number; html: number; htmlGzip: number } {
  const html = readFileSync(join(clientDir, pagePath, 'index.html'));
  const seen = new Set<string>();
  const queue: string[] = [];
  const add = (url: string, from: string) => {
    if (/^(https?:)?\/\//.test(url) || url.startsWith('data:')) return;
    const file = url.startsWith('/')
      ? join(clientDir, url.split(/[?#]/)[0]!)
      : resolve(dirname(from), url.split(/[?#]/)[0]!);
    if (!seen.has(file) && existsSync(file) && statSync(file).isFile()) {
      seen.add(file);
      queue.push(file);
    }
  };
  const text = html.toString('utf8');
  const htmlFile = join(clientDir, pagePath, 'index.html');
  for (const m of text.matchAll(/<link[^>]+rel="?(?:stylesheet|modulepreload)"?[^>]*>/g)) {
    const href = /href="?([^"\s>]+)/.exec(m[0])?.[1];
    if (href) add(href, htmlFile);
  }
  for (const m of text.matchAll(/<script[^>]+src="?([^"\s>]+)/g)) add(m[1]!, htmlFile);
  for (const m of text.matchAll(/(?:component-url|renderer-url|before-hydration-url)="([^"]+)"/g)) add(m[1]!, htmlFile);
  // Inline module scripts import chunks too.
  for (const m of text.matchAll(/(?:from\s*|import\s*\(?\s*)["']([^"']+\.(?:js|mjs|css))["']/g)) add(m[1]!, htmlFile);
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (!file.endsWith('.js') && !file.endsWith('.mjs')) continue;
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:from\s*|import\s*\(?\s*)["']([^"']+\.(?:js|mjs|css))["']/g)) add(m[1]!, file);
  }
  let raw = html.length;
  let gzip = gzipSync(html).length;
  for (const file of seen) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { files: 1 + seen.size, raw, gzip, html: html.length, htmlGzip: gzipSync(html).length };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

interface Row {
  n: number;
  announcements: number;
  pages: number;
  astroSeconds: number;
  pagesPerSecond: number;
  astroPeak: number | null;
  pagefindSeconds: number;
  pagefindPeak: number | null;
  clientBytes: number;
  pagefindBytes: number;
  page: ReturnType<typeof pageWeight>;
  largestPage: { path: string; bytes: number };
}

async function bench(n: number): Promise<Row | null> {
  const work = mkdtempSync(join(tmpdir(), `bench-build-${n}-`));
  try {
    process.stdout.write(`\nN = ${n.toLocaleString('en')}：生成内容… `);
    const { contentDir, samplePage } = prepareContent(work, n);
    const announcements = readdirSync(join(contentDir, 'announcements')).length;
    process.stdout.write(`${announcements} 条公告（含真实 ${announcements - n} 条）。astro build… `);
    // The output must sit inside the project: the prerender step imports the server chunks,
    // which resolve their packages from node_modules up the tree (from /tmp they cannot).
    const outDir = join(root, 'bench-out', basename(work));
    // Astro resolves --config against the project root; the config only moves the output and cache.
    const config = join(work, 'astro.config.mjs');
    writeFileSync(
      config,
      `import base from ${JSON.stringify(join(root, 'astro.config.mjs'))};\n` +
        `export default { ...base, outDir: ${JSON.stringify(outDir)}, cacheDir: ${JSON.stringify(join(work, 'cache'))} };\n`,
    );
    mkdirSync(join(work, 'cache'));
    const env = { ...process.env, CONTENT_DIR: contentDir, NO_COLOR: '1' };
    const astro = await run(
      process.execPath,
      [join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build', '--config', relative(root, config)],
      env,
    );
    writeFileSync(join(work, 'astro-build.log'), astro.output);
    if (astro.code !== 0) {
      console.log(`失败（退出码 ${astro.code}，${astro.seconds.toFixed(1)} 秒，峰值内存 ${mb(astro.peakTreeRss)}）`);
      console.log(astro.output.split('\n').slice(-30).join('\n'));
      return null;
    }
    process.stdout.write(`${astro.seconds.toFixed(1)} 秒。pagefind… `);
    const clientDir = join(outDir, 'client');
    const pagefind = await run(
      process.execPath,
      [join(root, 'node_modules', 'pagefind', 'lib', 'runner', 'bin.cjs'), '--site', clientDir],
      env,
    );
    if (pagefind.code !== 0) {
      console.log(`pagefind 失败（退出码 ${pagefind.code}）`);
      console.log(pagefind.output.split('\n').slice(-30).join('\n'));
      return null;
    }
    console.log(`${pagefind.seconds.toFixed(1)} 秒。`);
    const allFiles = filesUnder(clientDir);
    const htmlFiles = allFiles.filter((file) => file.endsWith('.html'));
    const pages = htmlFiles.length;
    // A list page that grows with N is what breaks first on phones.
    const largest = htmlFiles.reduce(
      (best, file) => (statSync(file).size > best.bytes ? { path: file, bytes: statSync(file).size } : best),
      { path: '', bytes: 0 },
    );
    const sizeOf = (files: string[]) => files.reduce((sum, file) => sum + statSync(file).size, 0);
    const pagefindDir = join(clientDir, 'pagefind');
    return {
      n,
      announcements,
      pages,
      astroSeconds: astro.seconds,
      pagesPerSecond: pages / astro.seconds,
      astroPeak: astro.peakTreeRss,
      pagefindSeconds: pagefind.seconds,
      pagefindPeak: pagefind.peakTreeRss,
      clientBytes: sizeOf(allFiles),
      pagefindBytes: existsSync(pagefindDir) ? sizeOf(filesUnder(pagefindDir)) : 0,
      page: pageWeight(clientDir, join('announcements', samplePage)),
      largestPage: { path: `/${relative(clientDir, largest.path)}`, bytes: largest.bytes },
    };
  } finally {
    const outDir = join(root, 'bench-out', basename(work));
    if (values.keep) console.log(`保留临时目录：${work} 与 ${relative(root, outDir)}`);
    else for (const dir of [work, outDir]) rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `机器：${availableParallelism()} 核，内存 ${mb(totalmem())}，Node ${process.version}（负载高时用时会偏长）`,
);
const rows: Row[] = [];
for (const n of sizes) {
  const row = await bench(n);
  if (row) rows.push(row);
}

const table: Array<[string, (row: Row) => string]> = [
  ['公告数（合成 + 真实）', (r) => `${r.n} + ${r.announcements - r.n}`],
  ['生成的 HTML 页面', (r) => String(r.pages)],
  ['astro build 用时', (r) => `${r.astroSeconds.toFixed(1)} s`],
  ['页面/秒', (r) => r.pagesPerSecond.toFixed(0)],
  ['astro build 峰值内存（进程树 RSS）', (r) => mb(r.astroPeak)],
  ['pagefind 用时', (r) => `${r.pagefindSeconds.toFixed(1)} s`],
  ['pagefind 峰值内存', (r) => mb(r.pagefindPeak)],
  ['总用时（astro + pagefind）', (r) => `${(r.astroSeconds + r.pagefindSeconds).toFixed(1)} s`],
  ['dist/client 总大小', (r) => mb(r.clientBytes)],
  ['其中 pagefind 索引', (r) => mb(r.pagefindBytes)],
  ['单个公告页：文件数', (r) => String(r.page.files)],
  ['单个公告页：HTML 原始 / gzip', (r) => `${kb(r.page.html)} / ${kb(r.page.htmlGzip)}`],
  ['单个公告页：HTML+CSS+JS 原始 / gzip', (r) => `${kb(r.page.raw)} / ${kb(r.page.gzip)}`],
  ['最大的 HTML 页面', (r) => `${kb(r.largestPage.bytes)} ${r.largestPage.path}`],
];
if (rows.length > 0) {
  const labelWidth = Math.max(...table.map(([label]) => label.length * 2));
  const cells = rows.map((row) => table.map(([, value]) => value(row)));
  const widths = rows.map((_, i) => Math.max(12, ...cells[i]!.map((c) => c.length)));
  const pad = (text: string, width: number) =>
    text + ' '.repeat(Math.max(0, width - [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));
  console.log(`\n${pad('', labelWidth)}  ${rows.map((r, i) => pad(`N = ${r.n}`, widths[i]!)).join('  ')}`);
  table.forEach(([label], t) =>
    console.log(`${pad(label, labelWidth)}  ${rows.map((_, i) => pad(cells[i]![t]!, widths[i]!)).join('  ')}`),
  );
  if (rows.length > 1) {
    const [first, last] = [rows[0]!, rows[rows.length - 1]!];
    console.log(
      `\n从 N=${first.n} 到 N=${last.n}：页面 ×${(last.pages / first.pages).toFixed(1)}，astro build 用时 ×${(last.astroSeconds / first.astroSeconds).toFixed(1)}，` +
        `峰值内存 ×${last.astroPeak && first.astroPeak ? (last.astroPeak / first.astroPeak).toFixed(1) : 'n/a'}`,
    );
  }
}
if (rows.length < sizes.length) process.exit(1);
