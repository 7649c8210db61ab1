/**
 * The live search index (issue 11): each new catalogue is indexed again with Pagefind's Node API, so a
 * publication, correction or withdrawal is searchable within seconds, without rebuilding the site.
 *
 * - The catalogue's items become custom records (lib/search/records); the prerendered pages that stay
 *   static (outside the catalogue's sections) are read from the built site, as the build does.
 * - Each build goes into a fresh folder under DATA_DIR/search/; when it is complete the one pointer
 *   (`#current`) moves to it. Until the first live build completes, the index the build wrote into
 *   dist/client/pagefind is served as before.
 * - Superseded folders keep answering for their hashed chunks during a grace period, so a reader who
 *   loaded the previous entry file mid-search still gets the chunks it names; then they are deleted.
 * - One build at a time; catalogues announced while one runs are coalesced and only the latest is built.
 * - Pagefind's binary runs as a child process at a lower CPU priority (nice), so page readers keep the
 *   cores while it indexes; it is stopped after each build, which returns its memory.
 *
 * Every instance builds its own index from its own catalogue change signal.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname, setPriority } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToReaders } from 'node:timers/promises';
import * as pagefind from 'pagefind';
import sirv from 'sirv';
import type { Catalogue } from '~/lib/publishing/catalogue';
import { SEARCH_LANGUAGE, searchRecords, type SearchableCatalogue } from '~/lib/search/records';
import { cacheControlFor } from '~/server/http/cache-policy';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export interface LiveSearchIndexOptions {
  /** Where the live builds go (DATA_DIR/search). */
  root: string;
  /** The built site (dist/client), whose static pages outside the catalogue's sections are indexed from disk. */
  siteDir: string;
  /** How long a superseded index keeps answering (readers mid-search). */
  graceMs?: number;
  /** Niceness of Pagefind's process (0–19); higher yields the CPU to page readers. */
  niceness?: number;
  /** Records handed to Pagefind at once before the event loop is given back to readers. */
  batchSize?: number;
  log?: (message: string) => void;
}

/** Sections whose pages come from the catalogue (records), not from the built HTML; and non-pages. */
const NOT_STATIC_PAGES = new Set(['announcements', 'explanations', 'recalls', 'pagefind', '_astro']);

/**
 * At 10,000 announcements one fragment file per record means 10,000 small files per build (42 MB on
 * disk, as many to delete after the grace period); bundling keeps a build near 6 MB while a result
 * still costs one small fetch.
 */
const MAX_FRAGMENTS = 1000;

/** Superseded folders kept at most, even within the grace period (a burst of publications). */
const MAX_RETIRED = 10;

interface Build {
  version: number;
  /** The folder holding `pagefind/`. */
  dir: string;
  serve: NodeHandler;
}

export interface BuildReport {
  version: number;
  records: number;
  staticPages: number;
  seconds: number;
  reniced: boolean;
}

/** The child processes of this process that run Pagefind's binary, by their thread ids (Linux /proc). */
function pagefindThreads(): number[] {
  const threads: number[] = [];
  try {
    for (const task of readdirSync('/proc/self/task')) {
      const children = readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ').filter(Boolean);
      for (const child of children) {
        if (!readFileSync(`/proc/${child}/comm`, 'utf8').startsWith('pagefind')) continue;
        threads.push(...readdirSync(`/proc/${child}/task`).map(Number));
      }
    }
  } catch {
    // No /proc (not Linux), or the process ended while we looked: nothing to lower.
  }
  return threads;
}

/**
 * Lowers the priority of every thread of Pagefind's process (on Linux, niceness is per thread, and
 * the binary starts its worker threads before we can reach it). Returns whether any was lowered.
 */
function lowerPagefindPriority(niceness: number): boolean {
  let lowered = false;
  for (const thread of pagefindThreads()) {
    try {
      setPriority(thread, niceness);
      lowered = true;
    } catch {
      // The thread ended in between.
    }
  }
  return lowered;
}

function failIfErrors(step: string, errors: string[]): void {
  if (errors.length > 0) throw new Error(`Pagefind ${step}: ${errors.join('; ')}`);
}

/** `{practice,stats}/**\/*.html`: the built pages of every top-level folder the catalogue does not serve. */
function staticPagesGlob(siteDir: string): string | null {
  const folders = readdirSync(siteDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_STATIC_PAGES.has(entry.name))
    .map((entry) => entry.name);
  return folders.length > 0 ? `{${folders.join(',')}}/**/*.html` : null;
}

/** Writes the Pagefind bundle of `catalogue` (plus the static pages) into `outputDir/pagefind`. */
async function writeIndex(
  catalogue: SearchableCatalogue,
  outputDir: string,
  options: Required<Pick<LiveSearchIndexOptions, 'siteDir' | 'niceness' | 'batchSize'>>,
): Promise<Omit<BuildReport, 'version' | 'seconds'>> {
  const created = await pagefind.createIndex({ forceLanguage: SEARCH_LANGUAGE, maxFragments: MAX_FRAGMENTS });
  failIfErrors('createIndex', created.errors);
  const index = created.index!;
  try {
    const reniced = lowerPagefindPriority(options.niceness);
    let records = 0;
    let batch: Promise<pagefind.NewFileResponse>[] = [];
    const flush = async () => {
      for (const added of await Promise.all(batch)) failIfErrors('addCustomRecord', added.errors);
      batch = [];
      await yieldToReaders();
    };
    for (const record of searchRecords(catalogue)) {
      batch.push(index.addCustomRecord(record));
      records++;
      if (batch.length >= options.batchSize) await flush();
    }
    await flush();
    const glob = staticPagesGlob(options.siteDir);
    const staticPages = glob ? await index.addDirectory({ path: options.siteDir, glob }) : null;
    if (staticPages) failIfErrors('addDirectory', staticPages.errors);
    // Threads the binary started since are lowered too before the heaviest step.
    lowerPagefindPriority(options.niceness);
    failIfErrors('writeFiles', (await index.writeFiles({ outputPath: join(outputDir, 'pagefind') })).errors);
    return { records, staticPages: staticPages?.page_count ?? 0, reniced };
  } finally {
    // Stops the binary: its memory (about 1 GB at 10,000 announcements) is not held between builds.
    await pagefind.close();
  }
}

function serveFolder(dir: string): NodeHandler {
  return sirv(dir, {
    dev: false,
    etag: true,
    setHeaders: (res, pathname) => res.setHeader('cache-control', cacheControlFor(pathname)),
  }) as NodeHandler;
}

export class LiveSearchIndex {
  readonly #options: Required<LiveSearchIndexOptions>;
  /** This process's folder under root: instances sharing a DATA_DIR never delete each other's builds. */
  readonly #processDir: string;
  #current: Build | null = null;
  #retired: { build: Build; timer: NodeJS.Timeout }[] = [];
  #wanted: Catalogue | null = null;
  #running: Promise<void> | null = null;
  #sequence = 0;
  #closed = false;
  #lastReport: BuildReport | null = null;

  constructor(options: LiveSearchIndexOptions) {
    this.#options = {
      graceMs: 10 * 60_000,
      niceness: 10,
      batchSize: 100,
      log: (message) => console.log(message),
      ...options,
    };
    this.#processDir = join(this.#options.root, `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`);
    this.#removeLeftovers();
  }

  /** The content version the served index was built from; null while the build-time index is served. */
  get version(): number | null {
    return this.#current?.version ?? null;
  }

  get lastReport(): BuildReport | null {
    return this.#lastReport;
  }

  /** Index this catalogue soon; if a build is running, after it (only the latest waiting catalogue is built). */
  update(catalogue: Catalogue): void {
    if (this.#closed) return;
    this.#wanted = catalogue;
    this.#running ??= this.#drain().finally(() => (this.#running = null));
  }

  /** Resolves when no build is running or waiting. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /**
   * Answers /pagefind/ requests from the current live index, then from superseded ones still in their
   * grace period (hashed chunks a reader's earlier entry file names), then `next` (the build-time index).
   */
  readonly serve: NodeHandler = (req, res, next) => {
    const chain = [this.#current, ...this.#retired.map((retired) => retired.build)].filter(
      (build): build is Build => build !== null,
    );
    const tryFrom = (position: number): void => {
      const build = chain[position];
      if (!build) return next();
      build.serve(req, res, () => tryFrom(position + 1));
    };
    tryFrom(0);
  };

  /** Stops building (a build under way is abandoned), and deletes this process's folders (on shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wanted = null;
    if (this.#running) await pagefind.close();
    await this.settled();
    for (const { timer } of this.#retired) clearTimeout(timer);
    this.#retired = [];
    this.#current = null;
    await rm(this.#processDir, { recursive: true, force: true });
  }

  async #drain(): Promise<void> {
    while (this.#wanted && !this.#closed) {
      const catalogue = this.#wanted;
      this.#wanted = null;
      if (catalogue.version === this.#current?.version) continue;
      try {
        await this.#build(catalogue);
      } catch (error) {
        // The index in service stays; the next catalogue change tries again.
        console.error(`[search] 无法更新搜索索引（内容版本 ${catalogue.version}）`, error);
      }
    }
  }

  async #build(catalogue: Catalogue): Promise<void> {
    const started = performance.now();
    const dir = join(this.#processDir, `${++this.#sequence}-v${catalogue.version}`);
    await mkdir(dir, { recursive: true });
    try {
      const written = await writeIndex(catalogue, dir, this.#options);
      const report = { version: catalogue.version, seconds: (performance.now() - started) / 1000, ...written };
      if (this.#closed) throw new Error('closed while building');
      this.#switchTo({ version: catalogue.version, dir, serve: serveFolder(dir) });
      this.#lastReport = report;
      this.#options.log(
        `[search] 搜索索引已更新：内容版本 ${report.version}，${report.records} 条内容、${report.staticPages} 个静态页面，` +
          `用时 ${report.seconds.toFixed(1)} 秒${report.reniced ? '' : '（未能降低索引进程优先级）'}`,
      );
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  #switchTo(build: Build): void {
    const previous = this.#current;
    this.#current = build;
    if (!previous) return;
    const timer = setTimeout(() => this.#delete(previous), this.#options.graceMs);
    timer.unref();
    this.#retired.unshift({ build: previous, timer });
    for (const { build: oldest, timer: oldestTimer } of this.#retired.splice(MAX_RETIRED)) {
      clearTimeout(oldestTimer);
      this.#delete(oldest);
    }
  }

  #delete(build: Build): void {
    this.#retired = this.#retired.filter((retired) => retired.build !== build);
    rm(build.dir, { recursive: true, force: true }).catch((error: unknown) =>
      console.error(`[search] 无法删除旧的搜索索引 ${build.dir}`, error),
    );
  }

  /** Folders of earlier runs of this host whose process has ended (a crash, a restart). */
  #removeLeftovers(): void {
    if (!existsSync(this.#options.root)) return;
    const prefix = `${hostname()}-`;
    for (const name of readdirSync(this.#options.root)) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      if (Number.isInteger(pid) && pid !== process.pid && processIsAlive(pid)) continue;
      rm(join(this.#options.root, name), { recursive: true, force: true }).catch((error: unknown) =>
        console.error(`[search] 无法删除上次运行留下的搜索索引 ${name}`, error),
      );
    }
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
