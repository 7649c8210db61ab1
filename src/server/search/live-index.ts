/**
 * The live search index (issue 11): the catalogue is searchable through Pagefind's Node API, so a
 * publication, correction or withdrawal is found within seconds, without rebuilding the site. At
 * 10,000 announcements a whole index takes minutes of niced CPU on a busy machine, so it is two parts:
 *
 * - The base index: every catalogue record (lib/search/records, each with its revision) plus the
 *   prerendered pages that stay static (outside the catalogue's sections, read from the built site, as
 *   the build does). Rebuilt in the background after changes, one build at a time; catalogues
 *   announced while one runs are coalesced and only the latest is built. Pagefind's binary runs at a
 *   lower CPU priority (nice), so page readers keep the cores; it is stopped after each build, which
 *   returns its memory.
 * - The delta: on every change, at once, only the records that differ from the base's (lib/search/
 *   live-delta), built from the base each time (latest wins) by its own Pagefind process in a worker
 *   thread, at normal priority. The manifest (`/pagefind/live.json`, served from memory, revalidated on
 *   each use) names the delta bundle and the base records it supersedes; the search page merges the
 *   delta (Pagefind's mergeIndex) and drops those. When a base build completes, it goes into service
 *   with a new delta for whatever changed since its catalogue (none: the delta empties).
 * - Every bundle goes into a fresh folder under DATA_DIR/search/; base, delta and manifest change
 *   together. Until the first base build completes, the index the build wrote into dist/client/pagefind
 *   is served as before (it knows the sample content only).
 * - Superseded folders keep answering during a grace period, so a reader who loaded the previous entry
 *   file or manifest mid-search still gets the chunks it names; then they are deleted.
 *
 * Every instance builds its own index from its own catalogue change signal; Pagefind's output is
 * deterministic and delta names say their base and content versions, so instances agree on file names.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname, setPriority } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToReaders } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import * as pagefind from 'pagefind';
import sirv from 'sirv';
import type { Catalogue, CatalogueEntry } from '~/lib/publishing/catalogue';
import {
  baseOnlyManifest,
  planDelta,
  withRevision,
  type LiveManifest,
  type RecordRevisions,
  type SupersededRecord,
} from '~/lib/search/live-delta';
import { SEARCH_LANGUAGE, searchRecords, type RecordOfEntry, type SearchRecord } from '~/lib/search/records';
import { cacheControlFor, REVALIDATE } from '~/server/http/cache-policy';
import { paths } from '~/paths';

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
  /** Records handed to Pagefind at once (their answers awaited together). */
  batchSize?: number;
  /**
   * Awaited when a base build has handed Pagefind its records, before Pagefind writes its files. Tests
   * hold a base build here (its Pagefind process alive) to search through deltas meanwhile.
   */
  beforeBaseWrite?: (version: number) => Promise<void>;
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

/** Superseded folders of each kind kept at most, even within the grace period (a burst of publications). */
const MAX_RETIRED = 10;

export interface BuildReport {
  version: number;
  records: number;
  staticPages: number;
  seconds: number;
  reniced: boolean;
}

export interface DeltaReport {
  version: number;
  baseVersion: number;
  /** Records in the delta bundle (added or corrected items). */
  records: number;
  /** Base records it supersedes (corrected or withdrawn items). */
  superseded: number;
  seconds: number;
}

interface Build {
  version: number;
  /** The folder served at the site's root (it holds `pagefind/…`). */
  dir: string;
  serve: NodeHandler;
}

interface BaseBuild extends Build {
  /** URL → revision of the catalogue records it holds. */
  revisions: RecordRevisions;
  report: BuildReport;
}

interface DeltaBuild extends Build {
  /** The bundle's path, or null when the delta only removes base records. */
  path: string | null;
  superseded: SupersededRecord[];
  report: DeltaReport;
}

const isBase = (build: Build): build is BaseBuild => 'revisions' in build;

/** How every live bundle is built: base and delta must agree to be merged. */
const PAGEFIND_CONFIG = { forceLanguage: SEARCH_LANGUAGE, maxFragments: MAX_FRAGMENTS };

/**
 * The threads of the Pagefind processes the calling thread started (Linux /proc). Only the base build's
 * process, started from the thread the index runs on, is lowered: delta builds start theirs from
 * worker threads and stay at normal priority, small and urgent as they are.
 */
function pagefindThreads(): number[] {
  const threads: number[] = [];
  try {
    for (const child of readFileSync('/proc/thread-self/children', 'utf8').split(' ').filter(Boolean)) {
      if (!readFileSync(`/proc/${child}/comm`, 'utf8').startsWith('pagefind')) continue;
      threads.push(...readdirSync(`/proc/${child}/task`).map(Number));
    }
  } catch {
    // No /proc (not Linux), or the process ended while we looked: nothing to lower.
  }
  return threads;
}

/**
 * Lowers the priority of every thread of the base build's Pagefind process (on Linux, niceness is per
 * thread, and the binary starts its worker threads before we can reach it). Returns whether any was lowered.
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

/** Writes the base bundle of `records` (plus the static pages) into `outputDir/pagefind`. */
async function writeBaseIndex(
  records: AsyncIterable<SearchRecord>,
  outputDir: string,
  version: number,
  options: Required<Pick<LiveSearchIndexOptions, 'siteDir' | 'niceness' | 'batchSize' | 'beforeBaseWrite'>>,
): Promise<Omit<BuildReport, 'version' | 'seconds'> & { revisions: RecordRevisions }> {
  const created = await pagefind.createIndex(PAGEFIND_CONFIG);
  failIfErrors('createIndex', created.errors);
  const index = created.index!;
  try {
    const reniced = lowerPagefindPriority(options.niceness);
    const revisions = new Map<string, string>();
    let batch: Promise<pagefind.NewFileResponse>[] = [];
    const flush = async () => {
      for (const added of await Promise.all(batch)) failIfErrors('addCustomRecord', added.errors);
      batch = [];
    };
    for await (const record of records) {
      batch.push(index.addCustomRecord(record));
      revisions.set(record.url, record.meta.revision!);
      if (batch.length >= options.batchSize) await flush();
    }
    await flush();
    const glob = staticPagesGlob(options.siteDir);
    const staticPages = glob ? await index.addDirectory({ path: options.siteDir, glob }) : null;
    if (staticPages) failIfErrors('addDirectory', staticPages.errors);
    await options.beforeBaseWrite(version);
    // Threads the binary started since are lowered too before the heaviest step.
    lowerPagefindPriority(options.niceness);
    failIfErrors('writeFiles', (await index.writeFiles({ outputPath: join(outputDir, 'pagefind') })).errors);
    return { records: revisions.size, staticPages: staticPages?.page_count ?? 0, reniced, revisions };
  } finally {
    // Stops the binary: its memory (about 1 GB at 10,000 announcements) is not held between builds.
    await pagefind.close();
  }
}

/**
 * A delta build, run in a worker thread of its own. Pagefind's Node API drives one binary per module
 * instance, the binary answers one message at a time (a base build's writeFiles holds it for many
 * seconds), and `close()` kills it; a worker has its own module instance, so the delta gets its own
 * binary, never waits behind the base build and never stops it. Plain JavaScript: the worker runs it
 * as given, outside the server's bundle.
 */
const DELTA_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { pagefindUrl, config, records, outputPath } = workerData;
const failIfErrors = (step, response) => {
  if (response.errors.length > 0) throw new Error('Pagefind ' + step + ': ' + response.errors.join('; '));
};
(async () => {
  const pagefind = await import(pagefindUrl);
  try {
    const created = await pagefind.createIndex(config);
    failIfErrors('createIndex', created);
    for (const added of await Promise.all(records.map((record) => created.index.addCustomRecord(record))))
      failIfErrors('addCustomRecord', added);
    failIfErrors('writeFiles', await created.index.writeFiles({ outputPath }));
  } finally {
    await pagefind.close();
  }
})().then(
  () => parentPort.postMessage({ ok: true }),
  (error) => parentPort.postMessage({ ok: false, message: String((error && error.stack) || error) }),
);
`;

/** Writes the delta bundle of `records` into `outputPath` from a worker thread (see DELTA_WORKER). */
function writeDeltaIndex(
  records: SearchRecord[],
  outputPath: string,
  onWorker: (worker: Worker) => void,
): Promise<void> {
  const worker = new Worker(DELTA_WORKER, {
    eval: true,
    workerData: { pagefindUrl: import.meta.resolve('pagefind'), config: PAGEFIND_CONFIG, records, outputPath },
  });
  onWorker(worker);
  return new Promise<void>((done, fail) => {
    worker.once('message', (answer: { ok: true } | { ok: false; message: string }) =>
      answer.ok ? done() : fail(new Error(answer.message)),
    );
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`delta worker exited (${code})`)));
  }).finally(() => void worker.terminate());
}

function serveFolder(dir: string): NodeHandler {
  return sirv(dir, {
    dev: false,
    etag: true,
    setHeaders: (res, pathname) => res.setHeader('cache-control', cacheControlFor(pathname)),
  }) as NodeHandler;
}

/** Records handed over per turn of the event loop while a catalogue's records are made. */
const RECORDS_PER_TURN = 500;

export class LiveSearchIndex {
  readonly #options: Required<LiveSearchIndexOptions>;
  /** This process's folder under root: instances sharing a DATA_DIR never delete each other's builds. */
  readonly #processDir: string;
  /** The base index and delta in service, and the manifest naming them (null until the first base). */
  #base: BaseBuild | null = null;
  #delta: DeltaBuild | null = null;
  #manifest: { value: LiveManifest; body: string } | null = null;
  #retired: { build: Build; timer: NodeJS.Timeout }[] = [];
  /** The newest catalogue announced. */
  #latest: Catalogue | null = null;
  /** The catalogue the next base build is for (coalesced: only the latest waits). */
  #baseWanted: Catalogue | null = null;
  #baseRunning: Promise<void> | null = null;
  /** A complete base build not yet in service: the delta step puts it there with its delta. */
  #pendingBase: BaseBuild | null = null;
  #deltaWanted = false;
  /** The base the running delta step builds against (and will put in service). */
  #deltaBase: BaseBuild | null = null;
  #deltaRunning: Promise<void> | null = null;
  #deltaWorker: Worker | null = null;
  /** Records by catalogue entry: unchanged entries are the same objects from one catalogue to the next. */
  #records = new WeakMap<CatalogueEntry, SearchRecord>();
  #sequence = 0;
  #closed = false;
  #lastReport: BuildReport | null = null;
  #lastDeltaReport: DeltaReport | null = null;

  constructor(options: LiveSearchIndexOptions) {
    this.#options = {
      graceMs: 10 * 60_000,
      niceness: 10,
      batchSize: 100,
      beforeBaseWrite: async () => {},
      log: (message) => console.log(message),
      ...options,
    };
    this.#processDir = join(this.#options.root, `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`);
    this.#removeLeftovers();
  }

  /** The content version search shows (base plus delta); null while the build-time index is served. */
  get version(): number | null {
    return this.#manifest?.value.version ?? null;
  }

  /** The content version of the base index in service. */
  get baseVersion(): number | null {
    return this.#base?.version ?? null;
  }

  get manifest(): LiveManifest | null {
    return this.#manifest?.value ?? null;
  }

  /** The last base build put in service. */
  get lastReport(): BuildReport | null {
    return this.#lastReport;
  }

  get lastDeltaReport(): DeltaReport | null {
    return this.#lastDeltaReport;
  }

  /**
   * Search this catalogue: at once through a delta over the base in service, and in the background
   * through a new base (if one is running, after it; only the latest waiting catalogue is built).
   */
  update(catalogue: Catalogue): void {
    if (this.#closed) return;
    this.#latest = catalogue;
    this.#requestDelta();
    this.#baseWanted = catalogue;
    this.#baseRunning ??= this.#drainBase().finally(() => (this.#baseRunning = null));
  }

  /** Resolves when no build (base or delta) is running or waiting. */
  async settled(): Promise<void> {
    while (this.#baseRunning || this.#deltaRunning) await (this.#baseRunning ?? this.#deltaRunning);
  }

  /** Resolves when no delta build is running or waiting (a base build may still be). */
  async deltaSettled(): Promise<void> {
    while (this.#deltaRunning) await this.#deltaRunning;
  }

  /**
   * Answers /pagefind/ requests: the manifest from memory; files from the base and delta in service,
   * then from superseded ones still in their grace period (hashed chunks a reader's earlier entry file
   * names), then `next` (the build-time index).
   */
  readonly serve: NodeHandler = (req, res, next) => {
    if (this.#manifest && new URL(req.url ?? '/', 'http://site.invalid').pathname === paths.searchIndexManifest()) {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('cache-control', REVALIDATE);
      res.end(req.method === 'HEAD' ? undefined : this.#manifest.body);
      return;
    }
    const chain = [this.#base, this.#delta, ...this.#retired.map((retired) => retired.build)].filter(
      (build): build is Build => build !== null,
    );
    const tryFrom = (position: number): void => {
      const build = chain[position];
      if (!build) return next();
      build.serve(req, res, () => tryFrom(position + 1));
    };
    tryFrom(0);
  };

  /** Stops building (builds under way are abandoned), and deletes this process's folders (on shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#baseWanted = null;
    this.#deltaWanted = false;
    if (this.#baseRunning) await pagefind.close();
    await this.#deltaWorker?.terminate();
    await this.settled();
    for (const { timer } of this.#retired) clearTimeout(timer);
    this.#retired = [];
    this.#base = null;
    this.#delta = null;
    this.#manifest = null;
    await rm(this.#processDir, { recursive: true, force: true });
  }

  /** The catalogue's records with their revisions, a few hundred per turn of the event loop. */
  async *#recordsOf(catalogue: Catalogue): AsyncGenerator<SearchRecord> {
    let count = 0;
    const remembered: RecordOfEntry = (entry, make) => {
      let record = this.#records.get(entry);
      if (!record) this.#records.set(entry, (record = withRevision(make())));
      return record;
    };
    for (const record of searchRecords(catalogue, remembered)) {
      yield record;
      if (++count % RECORDS_PER_TURN === 0) await yieldToReaders();
    }
  }

  async #drainBase(): Promise<void> {
    while (this.#baseWanted && !this.#closed) {
      const catalogue = this.#baseWanted;
      this.#baseWanted = null;
      if (catalogue.version === (this.#pendingBase ?? this.#base)?.version) continue;
      try {
        await this.#buildBase(catalogue);
      } catch (error) {
        // The index in service stays; the next catalogue change tries again. (Closing abandons builds.)
        if (!this.#closed) console.error(`[search] 无法更新搜索索引（内容版本 ${catalogue.version}）`, error);
      }
    }
  }

  async #buildBase(catalogue: Catalogue): Promise<void> {
    const started = performance.now();
    const dir = join(this.#processDir, `${++this.#sequence}-v${catalogue.version}`);
    await mkdir(dir, { recursive: true });
    try {
      const { revisions, ...written } = await writeBaseIndex(
        this.#recordsOf(catalogue),
        dir,
        catalogue.version,
        this.#options,
      );
      if (this.#closed) throw new Error('closed while building');
      const report = { version: catalogue.version, seconds: (performance.now() - started) / 1000, ...written };
      const superseded = this.#pendingBase;
      this.#pendingBase = { version: catalogue.version, dir, serve: serveFolder(dir), revisions, report };
      // A complete base never put in service is not needed any more, unless the delta step is busy
      // putting it there (it then goes into service and is retired by the next step).
      if (superseded && superseded !== this.#deltaBase) this.#delete(superseded);
      this.#requestDelta();
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  #requestDelta(): void {
    this.#deltaWanted = true;
    this.#deltaRunning ??= this.#drainDelta().finally(() => (this.#deltaRunning = null));
  }

  /**
   * One delta step at a time: the latest catalogue against the newest complete base (a pending one, or
   * the one in service); then base, delta and manifest are put in service together.
   */
  async #drainDelta(): Promise<void> {
    while (this.#deltaWanted && !this.#closed) {
      this.#deltaWanted = false;
      const base = this.#pendingBase ?? this.#base;
      const catalogue = this.#latest;
      // Until the first base is complete, the build-time index (sample content only) is served as is.
      if (!base || !catalogue) continue;
      if (base === this.#base && catalogue.version === this.#manifest?.value.version) continue;
      this.#deltaBase = base;
      try {
        const delta = catalogue.version === base.version ? null : await this.#buildDelta(base, catalogue);
        if (!this.#closed) this.#putInService(base, delta, catalogue.version);
      } catch (error) {
        // Base and delta in service stay; the next catalogue change or base build tries again.
        if (!this.#closed) console.error(`[search] 无法更新增量搜索索引（内容版本 ${catalogue.version}）`, error);
        // A pending base that a newer one replaced meanwhile will never be put in service.
        if (base !== this.#base && base !== this.#pendingBase) this.#delete(base);
      } finally {
        this.#deltaBase = null;
      }
    }
  }

  async #buildDelta(base: BaseBuild, catalogue: Catalogue): Promise<DeltaBuild> {
    const started = performance.now();
    const current: SearchRecord[] = [];
    for await (const record of this.#recordsOf(catalogue)) current.push(record);
    const plan = planDelta(base.revisions, current);
    const name = `b${base.version}-v${catalogue.version}`;
    const dir = join(this.#processDir, `${++this.#sequence}-delta-${name}`);
    const path = paths.searchIndexDelta(name);
    if (plan.records.length > 0) {
      try {
        await writeDeltaIndex(plan.records, join(dir, path), (worker) => (this.#deltaWorker = worker));
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      } finally {
        this.#deltaWorker = null;
      }
    }
    const report: DeltaReport = {
      version: catalogue.version,
      baseVersion: base.version,
      records: plan.records.length,
      superseded: plan.superseded.length,
      seconds: (performance.now() - started) / 1000,
    };
    return {
      version: catalogue.version,
      dir,
      // A delta that only removes (withdrawals) has no bundle to merge.
      path: plan.records.length > 0 ? path : null,
      serve: plan.records.length > 0 ? serveFolder(dir) : (_req, _res, next) => next(),
      superseded: plan.superseded,
      report,
    };
  }

  #putInService(base: BaseBuild, delta: DeltaBuild | null, version: number): void {
    const previousBase = this.#base;
    const previousDelta = this.#delta;
    this.#base = base;
    this.#delta = delta;
    if (this.#pendingBase === base) this.#pendingBase = null;
    const value: LiveManifest = delta
      ? { version, baseVersion: base.version, delta: delta.path, superseded: delta.superseded }
      : baseOnlyManifest(base.version);
    this.#manifest = { value, body: JSON.stringify(value) };
    if (previousBase !== base) {
      if (previousBase) this.#retire(previousBase);
      this.#lastReport = base.report;
      this.#options.log(
        `[search] 搜索索引已更新：内容版本 ${base.version}，${base.report.records} 条内容、${base.report.staticPages} 个静态页面，` +
          `用时 ${base.report.seconds.toFixed(1)} 秒${base.report.reniced ? '' : '（未能降低索引进程优先级）'}`,
      );
    }
    if (previousDelta && previousDelta !== delta) this.#retire(previousDelta);
    if (delta) {
      this.#lastDeltaReport = delta.report;
      this.#options.log(
        `[search] 增量索引已启用：内容版本 ${delta.version}（基础索引 ${base.version}），` +
          `新增或更正 ${delta.report.records} 条、替换或撤下 ${delta.report.superseded} 条，用时 ${delta.report.seconds.toFixed(1)} 秒`,
      );
    }
  }

  #retire(build: BaseBuild | DeltaBuild): void {
    const timer = setTimeout(() => this.#delete(build), this.#options.graceMs);
    timer.unref();
    this.#retired.unshift({ build, timer });
    // At most MAX_RETIRED of each kind: a burst of deltas does not push out the base a reader may still use.
    const sameKind = this.#retired.filter((retired) => isBase(retired.build) === isBase(build));
    for (const { build: oldest, timer: oldestTimer } of sameKind.slice(MAX_RETIRED)) {
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
