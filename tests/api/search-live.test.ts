/**
 * Search follows publishing on every instance (issue 11): two built servers on one PostgreSQL
 * database, as behind a load balancer; an announcement published through the store's publications
 * port by another process (as the admin of a third instance would) becomes a search hit for its brand
 * on both within the limit, is found by its corrected words (and no longer by the old ones) once
 * corrected, and disappears from both once withdrawn. Searched the way the search page does,
 * through each server's own /pagefind/pagefind.js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Publication } from '../../src/lib/publishing/model';
import { PgStore } from '../../src/server/store/pg-store';
import { paths } from '../../src/paths';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { startServer, type RunningServer } from '../support/server';
import { brandedAnnouncement, searchSite, UNIQUE_BRAND } from '../support/pagefind-search';
import { TEST_CLOCK_START } from '../support/clock';

/** Issue 11's limit, at 10,000 announcements; with the 80 sample ones it takes a few seconds. */
const SEARCHABLE_WITHIN_MS = 60_000;
const BRAND = UNIQUE_BRAND;
/** The brand the correction gives the announcement: another word no real record has. */
const CORRECTED_BRAND = '翡翠鹬';

let postgres: PostgresServer;
let store: PgStore;
let servers: RunningServer[] = [];

const announcement = brandedAnnouncement;

/** Polls every server's search until `expected(urls)` holds on all of them; returns the seconds it took. */
async function untilEveryServer(query: string, expected: (urls: string[]) => boolean): Promise<number> {
  const started = performance.now();
  const pending = new Set(servers);
  let last: string[] = [];
  while (performance.now() - started < SEARCHABLE_WITHIN_MS) {
    for (const server of [...pending]) {
      last = (await searchSite(server.url, query)).map((hit) => hit.url);
      if (expected(last)) pending.delete(server);
    }
    if (pending.size === 0) return (performance.now() - started) / 1000;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`search for ${query} on ${pending.size} server(s) still gives ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  postgres = await startPostgres({ fsync: false });
  const databaseUrl = await postgres.createDatabase();
  servers = await Promise.all(
    [1, 2].map(() => startServer({ env: { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '4' } })),
  );
  store = await PgStore.open({ connectionString: databaseUrl, command: 'search-live test', log: () => {} });
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await store?.close();
  await postgres?.stop();
});

describe('live search', () => {
  let published: Publication;

  it('finds nothing for the brand before it is published', async () => {
    for (const server of servers) expect(await searchSite(server.url, BRAND)).toEqual([]);
  });

  it(
    'finds a newly published announcement by its brand on every instance',
    async () => {
      const created = await store.publications.create({
        kind: 'announcements',
        slug: 'shi-li-liu-li-guan-dian-re-tan',
        revisions: [
          {
            number: 1,
            data: announcement,
            publishedAt: TEST_CLOCK_START,
            preparedBy: 'search-test',
            approvedBy: null,
            correctionNote: null,
          },
        ],
        draft: null,
        withdrawal: null,
        attachments: [],
        createdBy: 'search-test',
      });
      expect(created).not.toBeNull();
      published = created!;
      const url = paths.announcement(published.slug);
      await untilEveryServer(BRAND, (urls) => urls.length === 1 && urls[0] === url);
      const [hit] = await searchSite(servers[0]!.url, BRAND);
      expect(hit!.meta.title).toBe(`${announcement.title}（示例）`);
    },
    2 * SEARCHABLE_WITHIN_MS,
  );

  it('still finds the sample content and the static pages after the live rebuild', async () => {
    for (const server of servers) {
      expect((await searchSite(server.url, '导体电阻')).length).toBeGreaterThan(0);
      expect((await searchSite(server.url, '你点我检')).map((hit) => hit.url)).toContain(paths.practice());
    }
  });

  it(
    'finds a corrected announcement by its new brand, and no longer by the old one, on every instance',
    async () => {
      const data = {
        ...announcement,
        title: `示例：${CORRECTED_BRAND}牌电热毯产品质量监督抽查结果`,
        failedProducts: [{ ...announcement.failedProducts[0]!, brand: CORRECTED_BRAND }],
      };
      const correction = {
        number: 2,
        data,
        publishedAt: TEST_CLOCK_START,
        preparedBy: 'search-test',
        approvedBy: null,
        correctionNote: '示例：更正商标',
      };
      published = await store.publications.save(
        { ...published, revisions: [...published.revisions, correction] },
        published.version,
        { publicChange: true },
      );
      const url = paths.announcement(published.slug);
      await untilEveryServer(CORRECTED_BRAND, (urls) => urls.length === 1 && urls[0] === url);
      await untilEveryServer(BRAND, (urls) => urls.length === 0);
    },
    2 * SEARCHABLE_WITHIN_MS,
  );

  it(
    'drops a withdrawn announcement from search on every instance',
    async () => {
      const withdrawal = { reason: '示例：数据核对有误', at: TEST_CLOCK_START, by: 'search-test' };
      await store.publications.save({ ...published, withdrawal }, published.version, { publicChange: true });
      await untilEveryServer(CORRECTED_BRAND, (urls) => urls.length === 0);
    },
    2 * SEARCHABLE_WITHIN_MS,
  );
});
