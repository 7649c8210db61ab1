import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import {
  announcementFeedItems,
  feedInstant,
  lastChanged,
  paragraphs,
  recallFeedItems,
  rssXml,
} from '../../src/lib/feeds';
import { announcementSchema, recallSchema } from '../../src/lib/content-schemas';
import type { PublishedDate } from '../../src/lib/content-schemas';

const site = new URL('https://jianguan.example.gov.cn');

function announcement(id: string, date: PublishedDate, extra: Partial<{ example: boolean; summary: string }> = {}) {
  return {
    id,
    data: {
      title: `标题 ${id}`,
      issuer: '上海市市场监督管理局',
      summary: extra.summary ?? '抽查 20 批次，不合格 2 批次。',
      category: '电线电缆',
      region: '上海市',
      batches: { sampled: 20, failed: 2 },
      date,
      firstPublishedAt: '2026-11-21',
      example: extra.example ?? false,
    },
  };
}

function recall(id: string, iso: string | undefined) {
  return {
    id,
    data: {
      title: `召回 ${id}`,
      titleComposed: false,
      company: '示例电器有限公司',
      product: '电热水壶',
      defect: '温控器失效，可能干烧',
      hazard: null,
      remedy: '免费更换温控器',
      date: iso ? { text: iso, iso, year: Number(iso.slice(0, 4)) } : { text: '6月16日（网站消息）' },
      firstPublishedAt: '2026-11-21',
      example: false,
    },
  };
}

describe('announcementFeedItems', () => {
  it('syndicates every record: by its exact day, else by the day the portal first published it', () => {
    const items = announcementFeedItems(
      [
        announcement('old', { text: '2019-03-01', iso: '2019-03-01', year: 2019 }),
        announcement('year-only', { text: '2024年第四季度', year: 2024 }),
        announcement('undated', { text: null }),
        announcement('new', { text: '2025-05-29', iso: '2025-05-29', year: 2025 }),
      ],
      site,
    );
    expect(items.map((i) => i.url.replace(site.href, '/'))).toEqual([
      '/announcements/undated/',
      '/announcements/year-only/',
      '/announcements/new/',
      '/announcements/old/',
    ]);
    expect(items[1]!.description).toContain('<p>日期：2024年第四季度；本站发布于 2026年11月21日</p>');
    expect(items[2]!.title).toBe('标题 new');
    expect(items[2]!.date.toISOString()).toBe('2025-05-29T12:00:00.000Z');
  });

  it('keeps the newest 50 only', () => {
    const records = Array.from({ length: 60 }, (_, i) => {
      const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
      return announcement(`a${i}`, { text: day, iso: day, year: 2024 });
    });
    const items = announcementFeedItems(records, site);
    expect(items).toHaveLength(50);
    expect(items[0]!.url).toContain('/a59/');
    expect(items.at(-1)!.url).toContain('/a10/');
  });

  it('describes the facts and summary as escaped HTML, and marks example content', () => {
    const [item] = announcementFeedItems(
      [
        announcement(
          'x',
          { text: '2024-01-04', iso: '2024-01-04', year: 2024 },
          { example: true, summary: '标准 <GB 811> & 说明' },
        ),
      ],
      site,
    );
    expect(item!.title).toBe('（示例）标题 x');
    expect(item!.description).toBe(
      '<p>日期：2024年1月4日</p><p>发布：上海市市场监督管理局；产品：电线电缆；地区：上海市；抽查 20 批次；不合格 2 批次。</p>' +
        '<p>标准 &lt;GB 811&gt; &amp; 说明</p>',
    );
  });
});

describe('recallFeedItems', () => {
  it('names company, product and date, keeps the source headline, and leaves out fields not given', () => {
    const items = recallFeedItems([recall('kettle', '2023-09-12'), recall('no-day', undefined)], site);
    expect(items).toHaveLength(2);
    expect(items[1]).toEqual({
      title: '示例电器有限公司召回电热水壶（2023年9月12日）',
      description:
        '<p>原文标题：召回 kettle</p><p>日期：2023年9月12日</p><p>召回企业：示例电器有限公司</p><p>召回产品：电热水壶</p>' +
        '<p>缺陷：温控器失效，可能干烧</p><p>处理办法：免费更换温控器</p>',
      url: 'https://jianguan.example.gov.cn/recalls/kettle/',
      date: feedInstant('2023-09-12'),
    });
    expect(items[0]!.title).toBe('示例电器有限公司召回电热水壶（6月16日）');
    expect(items[0]!.description).toContain('<p>日期：6月16日；本站发布于 2026年11月21日</p>');
  });
});

const contentDir = resolve(import.meta.dirname, '..', '..', 'content');
const shipped = <T>(folder: string, parse: (data: unknown) => T) =>
  readdirSync(join(contentDir, folder))
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({
      id: name.replace(/\.json$/, ''),
      data: parse(JSON.parse(readFileSync(join(contentDir, folder, name), 'utf8'))),
    }));

describe('the feeds of the shipped content, read by a feed parser', () => {
  const announcements = shipped('announcements', (d) => announcementSchema.parse(d));
  const recalls = shipped('recalls', (d) => recallSchema.parse(d));
  const parse = (xml: string) =>
    new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'item' }).parse(xml) as {
      rss: {
        channel: {
          lastBuildDate: string;
          item: { title: string; link: string; pubDate: string; guid: { '#text': string } }[];
        };
      };
    };
  const channel = (records: Parameters<typeof lastChanged>[0]) => ({
    title: 't',
    description: 'd',
    siteUrl: site.href,
    feedUrl: new URL('/rss.xml', site).href,
    generator: 'g',
    lastBuildDate: lastChanged(records),
  });

  it('carries every announcement and recall, the undated ones too', () => {
    const a = parse(rssXml(channel(announcements), announcementFeedItems(announcements, site, Infinity))).rss.channel;
    expect(a.item).toHaveLength(announcements.length);
    expect(a.item.map((i) => i.title)).toContain('2025年上海市儿童游泳圈产品质量监督抽查结果公布');
    const r = parse(rssXml(channel(recalls), recallFeedItems(recalls, site, Infinity))).rss.channel;
    expect(r.item).toHaveLength(recalls.length);
    for (const item of r.item) expect(item.guid['#text']).toBe(item.link);
  });

  it('dates a Beijing day as that same day in a UTC reader', () => {
    const day = announcements.find((a) => a.data.date.iso === '2025-10-09')!;
    const [item] = parse(rssXml(channel([day]), announcementFeedItems([day], site))).rss.channel.item;
    const published = new Date(item!.pubDate);
    expect(published.toISOString().slice(0, 10)).toBe('2025-10-09');
    expect(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(published)).toBe('2025-10-09');
  });

  it('sets lastBuildDate to when the content last changed, not to the request time', () => {
    const xml = rssXml(channel(announcements), announcementFeedItems(announcements, site));
    const days = announcements.flatMap((a) => [a.data.firstPublishedAt, a.data.date.iso ?? a.data.firstPublishedAt]);
    const latest = days.sort().at(-1)!;
    expect(new Date(parse(xml).rss.channel.lastBuildDate).toISOString()).toBe(`${latest}T12:00:00.000Z`);
  });
});

describe('paragraphs', () => {
  it('drops blank lines', () => {
    expect(paragraphs(['a', '  ', ''])).toBe('<p>a</p>');
  });
});

describe('corrections and store changes', () => {
  const revisions = [
    { number: 1, publishedAt: '2026-11-28T02:00:00Z', correctionNote: null },
    { number: 2, publishedAt: '2026-11-30T02:00:00Z', correctionNote: '不合格批次数由 3 更正为 2' },
  ];

  it('marks a corrected item 更正 and says what changed, under the same address', () => {
    const record = announcement('corrected', { text: '2026-11-28', iso: '2026-11-28', year: 2026 });
    const [plain] = announcementFeedItems([record], site);
    const [corrected] = announcementFeedItems([{ ...record, revisions }], site);
    expect(corrected!.url).toBe(plain!.url);
    expect(corrected!.title).toBe(`【更正】${plain!.title}`);
    expect(corrected!.description).toContain('<p>更正（2026年11月30日）：不合格批次数由 3 更正为 2</p>');
    const [first] = announcementFeedItems([{ ...record, revisions: revisions.slice(0, 1) }], site);
    expect(first!.title).toBe(plain!.title);
  });

  it('marks a corrected recall too', () => {
    const [item] = recallFeedItems([{ ...recall('r', '2026-11-28'), revisions }], site);
    expect(item!.title.startsWith('【更正】')).toBe(true);
  });

  it('dates the feed by the latest store change when that is later than every record’s day', () => {
    const records = [announcement('a', { text: '2026-11-20', iso: '2026-11-20', year: 2026 })];
    expect(lastChanged(records)?.toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(lastChanged(records, '2026-11-30T09:15:00+08:00')?.toISOString()).toBe('2026-11-30T01:15:00.000Z');
    expect(lastChanged(records, '2026-11-01T00:00:00Z')?.toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(lastChanged([], '2026-11-30T01:15:00Z')?.toISOString()).toBe('2026-11-30T01:15:00.000Z');
  });
});
