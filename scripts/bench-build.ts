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
import { endedChildrenCpuSeconds, treeRss } from './lib/process-tree';
import { random, readExplanations, syntheticAnnouncement } from './lib/synthetic-announcements';
import { slugify, uniqueSlug } from '../src/lib/text/slug';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    n: { type: 'string', multiple: true },
    keep: { type: 'boolean', default: false },
  },
});
const sizes = (values.n ?? ['1000', '10000']).flatMap((v) => v.split(',')).map((v) => Number(v.replace(/_/g, '')));
if (sizes.some((n) => !Number.isInteger(n) || n < 0)) {
  console.error('--n 须为非负整数（0：只有真实内容），例如 --n 1000');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Synthetic content

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
  /** CPU seconds of the whole process tree (user + system). */
  cpuSeconds: number | null;
  output: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const started = performance.now();
    const cpuBefore = endedChildrenCpuSeconds();
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
      const cpuAfter = endedChildrenCpuSeconds();
      const cpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
      resolveRun({ code, seconds: (performance.now() - started) / 1000, peakTreeRss: peak, cpuSeconds, output });
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

const cpu = (...parts: (number | null)[]) =>
  parts.some((part) => part === null)
    ? 'n/a'
    : `${(parts as number[]).reduce((sum, part) => sum + part, 0).toFixed(1)} s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

interface Row {
  n: number;
  announcements: number;
  pages: number;
  astroSeconds: number;
  pagesPerSecond: number;
  astroPeak: number | null;
  astroCpu: number | null;
  pagefindSeconds: number;
  pagefindPeak: number | null;
  pagefindCpu: number | null;
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
      astroCpu: astro.cpuSeconds,
      pagefindSeconds: pagefind.seconds,
      pagefindPeak: pagefind.peakTreeRss,
      pagefindCpu: pagefind.cpuSeconds,
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
  ['CPU 时间（astro + pagefind）', (r) => cpu(r.astroCpu, r.pagefindCpu)],
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
