/**
 * The public site follows the store without a rebuild (issue 11): an announcement published into
 * the store reaches its page, the list, the home page, the statistics and both feeds; a correction
 * says 更正 and keeps the feed guid and its earlier version readable; a withdrawal shows its reason
 * and leaves the list, the statistics and the feed. Every page is read (and so cached) before each
 * change, so what is seen is the route cache being invalidated, not a first render.
 *
 * PostgreSQL: two portal processes on one database, the writes made by a third process through the
 * store port (as another portal instance's staff would), and both servers must follow within the
 * limit. File store: the server is the only process on its folder, so the store is filled before
 * it starts, and the same pages are checked for published, corrected and withdrawn items.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/server/store/file-store';
import { PgStore } from '../../src/server/store/pg-store';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { announcementLike, correct, publishAnnouncement, withdraw } from '../support/publishing';
import { startServer, type RunningServer } from '../support/server';

/** Issue 11: a change reaches every page within 60 s. */
const LIMIT_MS = 60_000;

async function page(server: RunningServer, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(new URL(path, server.url));
  return { status: response.status, text: await response.text() };
}

interface FeedItem {
  title: string;
  guid: string | { '#text': string };
  description: string;
}

async function feedItems(server: RunningServer, path: string): Promise<FeedItem[]> {
  const { text } = await page(server, path);
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(text) as {
    rss: { channel: { item?: FeedItem | FeedItem[]; lastBuildDate?: string } };
  };
  const items = parsed.rss.channel.item ?? [];
  return Array.isArray(items) ? items : [items];
}

/** The path of an item's guid (its absolute address, built from the build's SITE_URL). */
const guidPath = (item: FeedItem) => new URL(typeof item.guid === 'string' ? item.guid : item.guid['#text']).pathname;

/**
 * The announcements the default statistics scope lists as left out (「未计入统计的公告（N 篇）」): the
 * test's announcements are marked 示例, which the statistics never count but name there.
 */
async function statsLeftOut(server: RunningServer): Promise<number> {
  const { text } = await page(server, '/stats/');
  const match = /未计入统计的公告（(\d+) 篇）/.exec(text);
  if (!match) throw new Error('统计页没有写出未计入统计的公告数');
  return Number(match[1]);
}

/** Polls `check` until it holds or the limit passes; returns how long it took. */
async function within(what: string, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > LIMIT_MS) throw new Error(`${what}: not seen within ${LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Reads every page the change must reach, so that each is in the route cache before the change. */
async function warm(server: RunningServer, slug: string): Promise<void> {
  for (const path of ['/', '/announcements/', '/stats/', '/rss.xml', '/recalls/rss.xml', `/announcements/${slug}/`])
    await page(server, path);
}

describe('PostgreSQL: two portal processes follow publications written by a third', () => {
  let postgres: PostgresServer;
  let writer: PgStore;
  let servers: RunningServer[];

  beforeAll(async () => {
    postgres = await startPostgres();
    const databaseUrl = await postgres.createDatabase();
    const env = { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '4' };
    servers = await Promise.all([startServer({ env }), startServer({ env })]);
    writer = await PgStore.open({
      connectionString: databaseUrl,
      poolSize: 2,
      command: 'content-live test',
      log: () => undefined,
    });
  });

  afterAll(async () => {
    await writer?.close();
    await Promise.all((servers ?? []).map((server) => server.stop()));
    await postgres?.stop();
  });

  it('publishes, corrects and withdraws an announcement on every page of both processes', async () => {
    const slug = 'live-check-dian-re-shui-qi';
    // Marked 示例 by `example: true` (a badge on pages, 「（示例）」 in feeds).
    const title = '实时发布检查：电热水器抽查结果';
    const leftOutBefore = await Promise.all(servers.map(statsLeftOut));
    for (const server of servers) {
      expect((await page(server, `/announcements/${slug}/`)).status).toBe(404);
      await warm(server, slug);
    }

    const published = await publishAnnouncement(
      writer.publications,
      slug,
      announcementLike(title, 1234),
      '2026-12-01T09:00:00+08:00',
    );
    for (const [index, server] of servers.entries()) {
      const link = `/announcements/${slug}/`;
      const took = await within(`publication on server ${index}`, async () =>
        (await page(server, `/announcements/${slug}/`)).text.includes(title),
      );
      console.log(`[content-live] 发布 → 服务器 ${index} 的公告页：${Math.round(took)} ms`);
      expect((await page(server, '/announcements/')).text).toContain(title);
      expect((await page(server, '/')).text).toContain(title);
      expect(await statsLeftOut(server)).toBe(leftOutBefore[index]! + 1);
      const item = (await feedItems(server, '/rss.xml')).find((candidate) => guidPath(candidate) === link);
      expect(item?.title).toBe(`（示例）${title}`);
    }

    for (const server of servers) await warm(server, slug);
    const correctedTitle = '实时发布检查：电热水器抽查结果（更正）';
    const corrected = await correct(
      writer.publications,
      published,
      announcementLike(correctedTitle, 1200),
      '抽查批次数由 1234 更正为 1200',
      '2026-12-01T10:00:00+08:00',
    );
    for (const [index, server] of servers.entries()) {
      const link = `/announcements/${slug}/`;
      await within(`correction on server ${index}`, async () =>
        (await page(server, `/announcements/${slug}/`)).text.includes(correctedTitle),
      );
      const current = (await page(server, `/announcements/${slug}/`)).text;
      expect(current).toContain('更正说明');
      expect(current).toContain('抽查批次数由 1234 更正为 1200');
      const earlier = await page(server, `/announcements/${slug}/revisions/1/`);
      expect(earlier.status).toBe(200);
      expect(earlier.text).toContain(title);
      expect(earlier.text).toContain('这是本文的第 1 版');
      expect((await page(server, `/announcements/${slug}/revisions/2/`)).status).toBe(404);
      expect(await statsLeftOut(server)).toBe(leftOutBefore[index]! + 1);
      const items = (await feedItems(server, '/rss.xml')).filter((candidate) => guidPath(candidate) === link);
      expect(items.map((item) => item.title)).toEqual([`【更正】（示例）${correctedTitle}`]);
      expect(items[0]!.description).toContain('抽查批次数由 1234 更正为 1200');
    }

    for (const server of servers) await warm(server, slug);
    await withdraw(writer.publications, corrected, '抽查数据需复核，暂予撤回', '2026-12-01T11:00:00+08:00');
    for (const [index, server] of servers.entries()) {
      const link = `/announcements/${slug}/`;
      await within(`withdrawal on server ${index}`, async () =>
        (await page(server, `/announcements/${slug}/`)).text.includes('已撤回'),
      );
      const withdrawn = await page(server, `/announcements/${slug}/`);
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.text).toContain('撤回原因：抽查数据需复核，暂予撤回');
      expect(withdrawn.text).not.toContain('不合格产品明细');
      expect((await page(server, '/announcements/')).text).not.toContain(correctedTitle);
      expect((await page(server, '/')).text).not.toContain(correctedTitle);
      expect(await statsLeftOut(server)).toBe(leftOutBefore[index]);
      expect((await feedItems(server, '/rss.xml')).map(guidPath)).not.toContain(link);
    }
  });
});

describe('file store: what the store published before the server started', () => {
  let server: RunningServer;
  let dataDir: string;
  const sampleSlug = '2006-shang-hai-shi-dian-re-shui-qi';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'portal-live-'));
    const store = await FileStore.open({ dataDir, command: 'content-live test', log: () => undefined });
    const fresh = await publishAnnouncement(
      store.publications,
      'file-fresh',
      announcementLike('（示例）文件存储新公告', 10),
      '2026-12-01T09:00:00+08:00',
    );
    await correct(
      store.publications,
      fresh,
      announcementLike('（示例）文件存储新公告（更正）', 10),
      '标题更正',
      '2026-12-01T09:30:00+08:00',
    );
    const gone = await publishAnnouncement(
      store.publications,
      'file-gone',
      announcementLike('（示例）文件存储撤回公告', 10),
      '2026-12-01T09:00:00+08:00',
    );
    await withdraw(store.publications, gone, '重复发布', '2026-12-01T10:00:00+08:00');
    // A store item under a sample item's slug replaces it: how staff correct sample content.
    await publishAnnouncement(
      store.publications,
      sampleSlug,
      announcementLike('（示例）更正后的样本公告', 21),
      '2026-12-01T09:00:00+08:00',
    );
    await store.close();
    server = await startServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the corrected, the withdrawn and the replaced sample item', async () => {
    const fresh = await page(server, '/announcements/file-fresh/');
    expect(fresh.text).toContain('（示例）文件存储新公告（更正）');
    expect(fresh.text).toContain('更正说明');
    expect((await page(server, '/announcements/file-fresh/revisions/1/')).text).toContain('（示例）文件存储新公告');
    expect((await page(server, '/announcements/file-gone/')).text).toContain('撤回原因：重复发布');
    expect((await page(server, `/announcements/${sampleSlug}/`)).text).toContain('（示例）更正后的样本公告');

    const list = (await page(server, '/announcements/')).text;
    expect(list).toContain('（示例）文件存储新公告（更正）');
    expect(list).toContain('（示例）更正后的样本公告');
    expect(list).not.toContain('上海电热水器抽查九成合格');
    expect(list).not.toContain('文件存储撤回公告');
    const guids = (await feedItems(server, '/rss.xml')).map(guidPath);
    expect(guids).toContain('/announcements/file-fresh/');
    expect(guids).not.toContain('/announcements/file-gone/');
  });
});
