/**
 * Sharing cards of announcements and recalls (issue 12, item 25), on the real built server: the
 * item pages name their own 1200×630 PNG card with its size, alt text and article dates; other
 * pages keep the generic card; the card answers as a PNG of that size; an unknown or withdrawn slug
 * is a 404 and renders nothing; a correction changes the card and its address, and the card of the
 * earlier version is not kept.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Publication } from '../../src/lib/publishing/model';
import { FileStore } from '../../src/server/store/file-store';
import { announcementLike, correct, publishAnnouncement, withdraw } from '../support/publishing';
import { projectRoot, startServer, type RunningServer } from '../support/server';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The `<meta property|name="…" content="…">` tags of a page, by name (the last one of a name wins). */
async function metaTags(server: RunningServer, path: string): Promise<Map<string, string>> {
  const response = await fetch(new URL(path, server.url));
  expect(response.status, path).toBe(200);
  const html = await response.text();
  const tags = new Map<string, string>();
  for (const match of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"/g))
    tags.set(match[1]!, match[2]!.replace(/&amp;/g, '&'));
  return tags;
}

/** The card a page names, fetched from this server (the page's address is the build's SITE_URL). */
async function cardOf(server: RunningServer, tags: Map<string, string>): Promise<Response> {
  const image = new URL(tags.get('og:image')!);
  return fetch(new URL(`${image.pathname}${image.search}`, server.url));
}

/** Width and height from the PNG's IHDR chunk, which must come first. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const cardFiles = (server: RunningServer, kind: string) => {
  try {
    return readdirSync(join(server.dataDir, 'share-cards', kind));
  } catch {
    return [];
  }
};

describe('sharing cards', () => {
  let dataDir: string;
  let server: RunningServer;
  let fresh: Publication;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'portal-cards-'));
    const store = await FileStore.open({ dataDir, command: 'share-cards test', log: () => undefined });
    fresh = await publishAnnouncement(
      store.publications,
      'card-fresh',
      announcementLike('（示例）分享卡片检查：电热水器抽查结果', 10),
      '2026-12-01T09:00:00+08:00',
    );
    const gone = await publishAnnouncement(
      store.publications,
      'card-gone',
      announcementLike('（示例）分享卡片检查：撤回的公告', 10),
      '2026-12-01T09:00:00+08:00',
    );
    await withdraw(store.publications, gone, '重复发布', '2026-12-01T10:00:00+08:00');
    await store.close();
    server = await startServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an announcement page names its own large card, its size, alt text and publication day', async () => {
    const tags = await metaTags(server, '/announcements/2006-shang-hai-shi-dian-re-shui-qi/');
    const canonical = new URL(tags.get('og:url')!);
    const image = new URL(tags.get('og:image')!);
    expect(image.origin).toBe(canonical.origin);
    expect(image.pathname).toBe('/announcements/2006-shang-hai-shi-dian-re-shui-qi/card.png');
    expect(image.searchParams.get('v')).toMatch(/^[0-9a-f]{16}$/);
    expect(tags.get('og:image:width')).toBe('1200');
    expect(tags.get('og:image:height')).toBe('630');
    expect(tags.get('og:image:alt')).toBe(
      '抽查结果公告：电热水器。抽查 21 批次，不合格 2 批次。发布日期：2006年3月15日',
    );
    expect(tags.get('og:type')).toBe('article');
    expect(tags.get('twitter:card')).toBe('summary_large_image');
    expect(tags.get('article:published_time')).toBe('2006-03-15T00:00:00+08:00');
    expect(tags.has('article:modified_time')).toBe(false);
  });

  it('an undated recall is published on the day the portal first published it, as in its feed', async () => {
    const slug = 'nd-mo-bu-shang-mao-shang-hai-you-xian-gong';
    const tags = await metaTags(server, `/recalls/${slug}/`);
    expect(new URL(tags.get('og:image')!).pathname).toBe(`/recalls/${slug}/card.png`);
    expect(tags.get('twitter:card')).toBe('summary_large_image');
    expect(tags.get('og:image:alt')).toMatch(
      /^缺陷产品召回：FirstBIKE品牌儿童平衡车.*召回企业：.*发布日期：日期未注明（本站发布于 2026年11月21日）$/,
    );
    expect(tags.get('article:published_time')).toBe('2026-11-21T00:00:00+08:00');
  });

  it('other pages keep the generic card', async () => {
    for (const path of ['/', '/announcements/', '/recalls/']) {
      const tags = await metaTags(server, path);
      expect(new URL(tags.get('og:image')!).pathname, path).toBe('/og-image.png');
      expect(tags.get('twitter:card'), path).toBe('summary');
      expect(tags.has('og:image:width'), path).toBe(false);
      expect(tags.has('article:published_time'), path).toBe(false);
    }
  });

  it('the card is a 1200×630 PNG, kept a year under its versioned address', async () => {
    for (const path of [
      '/announcements/2006-shang-hai-shi-dian-re-shui-qi/',
      '/recalls/2025-shen-zhen-luo-ma-shi-ke-ji-you-xian/',
    ]) {
      const response = await cardOf(server, await metaTags(server, path));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(pngSize(Buffer.from(await response.arrayBuffer()))).toEqual({ width: 1200, height: 630 });
    }
    // Without its version the address follows the content, like a page.
    const unversioned = await fetch(new URL('/recalls/2025-shen-zhen-luo-ma-shi-ke-ji-you-xian/card.png', server.url));
    expect(unversioned.status).toBe(200);
    expect(unversioned.headers.get('cache-control')).toBe('public, max-age=30');
  });

  it('an unknown or withdrawn slug is a 404 and renders nothing', async () => {
    const before = [...cardFiles(server, 'announcements'), ...cardFiles(server, 'recalls')];
    for (const path of [
      '/announcements/no-such-item/card.png',
      '/recalls/no-such-item/card.png',
      '/announcements/card-gone/card.png',
    ])
      expect((await fetch(new URL(path, server.url))).status, path).toBe(404);
    expect([...cardFiles(server, 'announcements'), ...cardFiles(server, 'recalls')]).toEqual(before);
    // The withdrawn item's page shares the generic card.
    const tags = await metaTags(server, '/announcements/card-gone/');
    expect(new URL(tags.get('og:image')!).pathname).toBe('/og-image.png');
    expect(tags.get('twitter:card')).toBe('summary');
  });

  it('many new cards asked for at once: some are drawn, the rest are told to come back', async () => {
    const asked = readdirSync(join(projectRoot, 'content', 'recalls'))
      .map((file) => file.replace(/\.json$/, ''))
      .filter((slug) => !slug.startsWith('2025-shen-zhen') && !slug.startsWith('nd-mo-bu'))
      .slice(0, 14);
    const responses = await Promise.all(asked.map((slug) => fetch(new URL(`/recalls/${slug}/card.png`, server.url))));
    const statuses = responses.map((response) => response.status);
    const drawn = statuses.filter((status) => status === 200).length;
    const turnedAway = responses.filter((response) => response.status === 503);
    expect(drawn + turnedAway.length).toBe(asked.length);
    expect(drawn).toBeGreaterThanOrEqual(8);
    expect(turnedAway.length).toBeGreaterThan(0);
    for (const response of turnedAway) expect(response.headers.get('retry-after')).toBe('5');
    await Promise.all(responses.map((response) => response.arrayBuffer()));
    // Once the others are drawn, a card turned away is drawn too.
    const again = await fetch(new URL(`/recalls/${asked[statuses.indexOf(503)]}/card.png`, server.url));
    expect(again.status).toBe(200);
  });

  it('a correction changes the card, its address and its modified time, and the old card is not kept', async () => {
    const path = '/announcements/card-fresh/';
    const before = await metaTags(server, path);
    expect(before.get('og:image:alt')).toBe(
      '（示例）抽查结果公告：电热水器。抽查 10 批次，不合格 1 批次。发布日期：2026年12月1日',
    );
    expect(before.has('article:modified_time')).toBe(false);
    const first = Buffer.from(await (await cardOf(server, before)).arrayBuffer());
    expect(cardFiles(server, 'announcements').filter((name) => name.startsWith('card-fresh.'))).toHaveLength(1);

    // The file store has one process: correct it while the server is stopped, as another instance would.
    await server.stop({ keepData: true });
    const store = await FileStore.open({ dataDir, command: 'share-cards test', log: () => undefined });
    await correct(
      store.publications,
      fresh,
      announcementLike('（示例）分享卡片检查：电热水器抽查结果（更正）', 12),
      '抽查批次更正',
      '2026-12-01T09:30:00+08:00',
    );
    await store.close();
    server = await startServer({ dataDir });

    const after = await metaTags(server, path);
    expect(after.get('og:image')).not.toBe(before.get('og:image'));
    expect(after.get('og:image:alt')).toBe(
      '（示例）抽查结果公告：电热水器。抽查 12 批次，不合格 1 批次。发布日期：2026年12月1日',
    );
    expect(after.get('article:published_time')).toBe('2026-12-01T00:00:00+08:00');
    expect(after.get('article:modified_time')).toBe('2026-12-01T09:30:00+08:00');
    const corrected = await cardOf(server, after);
    expect(corrected.status).toBe(200);
    const second = Buffer.from(await corrected.arrayBuffer());
    expect(pngSize(second)).toEqual({ width: 1200, height: 630 });
    expect(second.equals(first)).toBe(false);
    const version = new URL(after.get('og:image')!).searchParams.get('v');
    expect(cardFiles(server, 'announcements').filter((name) => name.startsWith('card-fresh.'))).toEqual([
      `card-fresh.${version}.png`,
    ]);
  });
});

describe('a server without a Chinese font', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ env: { SHARE_CARD_FONT_FILES: '/nonexistent/NotoSansCJK-Regular.ttc' } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('shares the generic card instead of boxes, and says why once', async () => {
    for (const path of [
      '/announcements/2006-shang-hai-shi-dian-re-shui-qi/',
      '/recalls/2025-shen-zhen-luo-ma-shi-ke-ji-you-xian/',
    ]) {
      const tags = await metaTags(server, path);
      expect(new URL(tags.get('og:image')!).pathname, path).toBe('/og-image.png');
      expect(tags.get('twitter:card'), path).toBe('summary');
      // The article dates do not need the card.
      expect(tags.has('article:published_time'), path).toBe(true);
    }
    const card = await fetch(new URL('/announcements/2006-shang-hai-shi-dian-re-shui-qi/card.png', server.url), {
      redirect: 'manual',
    });
    expect(card.status).toBe(302);
    expect(new URL(card.headers.get('location')!, server.url).pathname).toBe('/og-image.png');
    expect(cardFiles(server, 'announcements')).toEqual([]);
    expect(server.output().match(/\[share-card\] 未找到中文字体/g)).toHaveLength(1);
  });
});
