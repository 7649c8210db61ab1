/**
 * The live search index on its own, with the real Pagefind binary: builds follow catalogues, the
 * pointer moves only to a complete build, bursts are coalesced, superseded builds answer during their
 * grace period and are deleted after it, and Pagefind runs at a lower CPU priority.
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
  index = new LiveSearchIndex({ root: join(work, 'search'), siteDir, graceMs: 1500, log: (m) => log.push(m) });
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
    expect(log.map((line) => /内容版本 (\d+)/.exec(line)?.[1])).toEqual(['3', '5']);
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
    expect(index.version).toBe(5);
    expect(await urls('朱鹮')).toEqual(['/practice/']);
  });

  it('leaves no folders behind when closed', async () => {
    await index.close();
    expect(existsSync(join(work, 'search')) ? readdirSync(join(work, 'search')) : []).toEqual([]);
  });
});
