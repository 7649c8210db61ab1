/**
 * The live search index on its own, with the real Pagefind binary: builds follow catalogues, the
 * pointer moves only to a complete build, bursts are coalesced, superseded builds answer during their
 * grace period and are deleted after it, and Pagefind runs at a lower CPU priority. While a base build
 * is held (its Pagefind process alive), publications, corrections and withdrawals are searchable
 * through the delta, and stay so once the base catches up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { announcementSchema, explanationSchema, recallSchema } from '../../src/lib/content-schemas';
import type { Catalogue } from '../../src/lib/publishing/catalogue';
import { LiveSearchIndex } from '../../src/server/search/live-index';
import { paths } from '../../src/paths';
import { projectRoot } from '../support/server';
import { brandedAnnouncement, searchSite, UNIQUE_BRAND } from '../support/pagefind-search';

function contentOf<T>(kind: string, parse: (value: unknown) => T) {
  const dir = join(projectRoot, 'content', kind);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({
      id: name.replace(/\.json$/, ''),
      data: parse(JSON.parse(readFileSync(join(dir, name), 'utf8'))),
      origin: 'sample' as const,
      revisions: [],
      withdrawal: null,
      attachments: [],
    }));
}

const sample = {
  announcements: contentOf('announcements', (v) => announcementSchema.parse(v)),
  explanations: contentOf('explanations', (v) => explanationSchema.parse(v)),
  recalls: contentOf('recalls', (v) => recallSchema.parse(v)),
};

const BRAND = UNIQUE_BRAND;
const published = {
  id: 'shi-li-liu-li-guan',
  data: brandedAnnouncement,
  origin: 'store' as const,
  revisions: [],
  withdrawal: null,
  attachments: [],
};

/** Holds base builds before they write their files while `held`; `release` lets them go on. */
const baseGate = {
  held: null as { release: () => void; promise: Promise<void>; reached: number[] } | null,
  hold() {
    let release = () => {};
    const promise = new Promise<void>((done) => (release = done));
    this.held = { release, promise, reached: [] };
    return this.held;
  },
  async wait(version: number) {
    const held = this.held;
    if (!held) return;
    held.reached.push(version);
    await held.promise;
  },
};

function catalogue(version: number, extra: Catalogue['announcements'] = []): Catalogue {
  return { version, ...sample, announcements: [...extra, ...sample.announcements] };
}

let work: string;
let siteDir: string;
let index: LiveSearchIndex;
let server: Server;
let baseUrl: string;
const log: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'live-index-'));
  siteDir = join(work, 'site');
  // A static page that stays prerendered, and a catalogue page whose built HTML must not be indexed.
  for (const [folder, words] of [
    ['practice', '各地实践朱鹮'],
    ['announcements/old', '旧页面白鹇'],
  ] as const) {
    mkdirSync(join(siteDir, folder), { recursive: true });
    writeFileSync(
      join(siteDir, folder, 'index.html'),
      `<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><main data-pagefind-body><h1>${words}</h1><p>${words}的内容。</p></main></body></html>`,
    );
  }
  index = new LiveSearchIndex({
    root: join(work, 'search'),
    siteDir,
    graceMs: 1500,
    log: (m) => log.push(m),
    beforeBaseWrite: (version) => baseGate.wait(version),
  });
  server = createServer((req, res) =>
    index.serve(req, res, () => {
      res.statusCode = 404;
      res.end();
    }),
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await index.close();
  await new Promise((done) => server.close(done));
  rmSync(work, { recursive: true, force: true });
});

const urls = async (query: string) => (await searchSite(baseUrl, query)).map((hit) => hit.url);

describe('live search index', () => {
  it('serves nothing of its own until its first build completes', async () => {
    expect(index.version).toBeNull();
    expect((await fetch(`${baseUrl}/pagefind/pagefind-entry.json`)).status).toBe(404);
    expect((await fetch(`${baseUrl}${paths.searchIndexManifest()}`)).status).toBe(404);
  });

  it('indexes the catalogue and the static pages, not the built pages of catalogue sections', async () => {
    index.update(catalogue(1));
    await index.settled();
    expect(index.version).toBe(1);
    expect(index.lastReport).toMatchObject({
      version: 1,
      records: sample.announcements.length + sample.explanations.length + sample.recalls.length,
      staticPages: 1,
    });
    expect(await urls('朱鹮')).toEqual(['/practice/']);
    expect(await urls('白鹇')).toEqual([]);
    const firstSample = sample.announcements[0]!;
    expect(await urls(firstSample.data.title)).toContain(`/announcements/${firstSample.id}/`);
  });

  it('lowers the priority of the Pagefind process where the system allows it', () => {
    // Linux (the machines this runs on) lets any process raise its children's niceness.
    expect(process.platform).toBe('linux');
    expect(index.lastReport?.reniced).toBe(true);
  });

  it('caches hashed chunks for a year and revalidates the entry file', async () => {
    const entryResponse = await fetch(`${baseUrl}/pagefind/pagefind-entry.json`);
    expect(entryResponse.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const entry = (await entryResponse.json()) as { languages: Record<string, { hash: string }> };
    const chunk = await fetch(`${baseUrl}/pagefind/pagefind.${entry.languages['zh-cn']!.hash}.pf_meta`);
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('finds a newly published brand, keeps the superseded chunks during the grace period, then deletes them', async () => {
    expect(await urls(BRAND)).toEqual([]);
    const before = (await (await fetch(`${baseUrl}/pagefind/pagefind-entry.json`)).json()) as {
      languages: Record<string, { hash: string }>;
    };
    const oldMeta = `/pagefind/pagefind.${before.languages['zh-cn']!.hash}.pf_meta`;
    index.update(catalogue(2, [published]));
    await index.settled();
    expect(await urls(BRAND)).toEqual([`/announcements/${published.id}/`]);
    expect((await fetch(`${baseUrl}${oldMeta}`)).status).toBe(200);
    await new Promise((done) => setTimeout(done, 2500));
    expect((await fetch(`${baseUrl}${oldMeta}`)).status).toBe(404);
    const processDirs = readdirSync(join(work, 'search'));
    expect(processDirs).toHaveLength(1);
    expect(readdirSync(join(work, 'search', processDirs[0]!))).toEqual([expect.stringMatching(/-v2$/)]);
  });

  it('coalesces a burst: only the latest catalogue waiting behind a build is built', async () => {
    log.length = 0;
    index.update(catalogue(3, [published]));
    index.update(catalogue(4, [published]));
    index.update(
      catalogue(5, [
        { ...published, withdrawal: { reason: '示例撤回', at: '2026-11-21T10:00:00+08:00', by: 'editor' } },
      ]),
    );
    await index.settled();
    const baseBuilds = log.filter((line) => line.includes('搜索索引已更新'));
    expect(baseBuilds.map((line) => /内容版本 (\d+)/.exec(line)?.[1])).toEqual(['3', '5']);
    expect(await urls(BRAND)).toEqual([]);
  });

  it('keeps serving the previous index when a build fails', async () => {
    // The built site is unreadable for the next build (a deployment swapping dist/ mid-build).
    renameSync(siteDir, `${siteDir}-away`);
    try {
      index.update(catalogue(6));
      await index.settled();
    } finally {
      renameSync(`${siteDir}-away`, siteDir);
    }
    expect(index.baseVersion).toBe(5);
    expect(await urls('朱鹮')).toEqual(['/practice/']);
  });

  describe('while a base build is held, changes are searchable through the delta', () => {
    const url = `/announcements/${published.id}/`;
    const second = { ...published, id: 'shi-li-shan-hu-weng', data: { ...brandedAnnouncement } };
    second.data = {
      ...brandedAnnouncement,
      title: '示例：珊瑚鹟牌电热毯产品质量监督抽查结果',
      failedProducts: [{ ...brandedAnnouncement.failedProducts[0]!, brand: '珊瑚鹟' }],
    };
    const corrected = {
      ...published,
      data: {
        ...brandedAnnouncement,
        title: '示例：翡翠鹬牌电热毯产品质量监督抽查结果（更正）',
        failedProducts: [{ ...brandedAnnouncement.failedProducts[0]!, brand: '翡翠鹬' }],
      },
    };
    const withdrawn = {
      ...corrected,
      withdrawal: { reason: '示例撤回', at: '2026-11-22T10:00:00+08:00', by: 'editor' },
    };
    let held: ReturnType<typeof baseGate.hold>;

    it('starts from a base that holds the announcement', async () => {
      index.update(catalogue(7, [published]));
      await index.settled();
      expect(index.baseVersion).toBe(7);
      expect(index.manifest).toEqual({ version: 7, baseVersion: 7, delta: null, superseded: [] });
      expect(await urls(BRAND)).toEqual([url]);
      const manifest = await fetch(`${baseUrl}${paths.searchIndexManifest()}`);
      expect(manifest.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
      expect(manifest.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await manifest.json()).toEqual(index.manifest);
      held = baseGate.hold();
    });

    it('a correction: the old text is no longer found, the new one is', async () => {
      index.update(catalogue(8, [corrected]));
      await index.deltaSettled();
      expect(index.baseVersion).toBe(7);
      expect(index.manifest).toMatchObject({ version: 8, baseVersion: 7, delta: paths.searchIndexDelta('b7-v8') });
      expect(index.lastDeltaReport).toMatchObject({ version: 8, baseVersion: 7, records: 1, superseded: 1 });
      expect(await urls(BRAND)).toEqual([]);
      const hits = await searchSite(baseUrl, '翡翠鹬');
      expect(hits.map((hit) => hit.url)).toEqual([url]);
      expect(hits[0]!.meta.title).toBe(`${corrected.data.title}（示例）`);
      // The rest of the index is still the base's.
      expect(await urls('朱鹮')).toEqual(['/practice/']);
    });

    it('a publication is found beside the correction', async () => {
      index.update(catalogue(9, [corrected, second]));
      await index.deltaSettled();
      expect(index.lastDeltaReport).toMatchObject({ version: 9, baseVersion: 7, records: 2, superseded: 1 });
      expect(await urls('珊瑚鹟')).toEqual([`/announcements/${second.id}/`]);
      expect(await urls('翡翠鹬')).toEqual([url]);
    });

    it('a withdrawal is gone, in its base record and its correction alike', async () => {
      index.update(catalogue(10, [withdrawn, second]));
      await index.deltaSettled();
      expect(index.lastDeltaReport).toMatchObject({ version: 10, baseVersion: 7, records: 1, superseded: 1 });
      expect(await urls('翡翠鹬')).toEqual([]);
      expect(await urls(BRAND)).toEqual([]);
      expect(await urls('珊瑚鹟')).toEqual([`/announcements/${second.id}/`]);
      // All of this while the base build for the correction still waits, its Pagefind process alive.
      expect(held.reached).toEqual([8]);
      expect(index.baseVersion).toBe(7);
    });

    it('once the base catches up, the delta empties and the results stay', async () => {
      baseGate.held = null;
      held.release();
      await index.settled();
      // The held base (8) went into service with a delta over it, then the latest base (10) without one.
      // A reader who read that last manifest mid-search still gets its delta during the grace period.
      const lastDelta = `${baseUrl}${paths.searchIndexDelta('b8-v10')}pagefind-entry.json`;
      expect((await fetch(lastDelta)).status).toBe(200);
      expect(index.baseVersion).toBe(10);
      expect(index.lastReport).toMatchObject({ version: 10 });
      expect(index.manifest).toEqual({ version: 10, baseVersion: 10, delta: null, superseded: [] });
      expect(await urls('珊瑚鹟')).toEqual([`/announcements/${second.id}/`]);
      expect(await urls('翡翠鹬')).toEqual([]);
      expect(await urls(BRAND)).toEqual([]);
      await new Promise((done) => setTimeout(done, 2500));
      expect((await fetch(lastDelta)).status).toBe(404);
    });
  });

  it('leaves no folders behind when closed', async () => {
    await index.close();
    expect(existsSync(join(work, 'search')) ? readdirSync(join(work, 'search')) : []).toEqual([]);
  });
});
