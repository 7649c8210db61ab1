import { describe, expect, it } from 'vitest';
import { announcementFeedItems, paragraphs, recallFeedItems } from '../../src/lib/feeds';
import { beijingMidnight } from '../../src/lib/time/beijing';
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
      example: extra.example ?? false,
    },
  };
}

function recall(id: string, iso: string | undefined) {
  return {
    id,
    data: {
      title: `召回 ${id}`,
      company: '示例电器有限公司',
      product: '电热水壶',
      defect: '温控器失效，可能干烧',
      hazard: null,
      remedy: '免费更换温控器',
      date: iso ? { text: iso, iso, year: Number(iso.slice(0, 4)) } : { text: '6月16日（网站消息）' },
      example: false,
    },
  };
}

describe('announcementFeedItems', () => {
  it('syndicates only records with an exact day, newest first, with absolute links', () => {
    const items = announcementFeedItems(
      [
        announcement('old', { text: '2019-03-01', iso: '2019-03-01', year: 2019 }),
        announcement('year-only', { text: '2024年第四季度', year: 2024 }),
        announcement('undated', { text: null }),
        announcement('new', { text: '2025-05-29', iso: '2025-05-29', year: 2025 }),
      ],
      site,
    );
    expect(items.map((i) => i.url)).toEqual([
      'https://jianguan.example.gov.cn/announcements/new/',
      'https://jianguan.example.gov.cn/announcements/old/',
    ]);
    expect(items[0]!.title).toBe('标题 new');
    expect(items[0]!.date.toISOString()).toBe('2025-05-28T16:00:00.000Z');
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
      '<p>发布：上海市市场监督管理局；产品：电线电缆；地区：上海市；抽查 20 批次；不合格 2 批次。</p>' +
        '<p>标准 &lt;GB 811&gt; &amp; 说明</p>',
    );
  });
});

describe('recallFeedItems', () => {
  it('describes product, defect and remedy, leaving out fields the source did not give', () => {
    const items = recallFeedItems([recall('kettle', '2023-09-12'), recall('no-day', undefined)], site);
    expect(items).toHaveLength(1);
    expect(items[0]).toEqual({
      title: '召回 kettle',
      description:
        '<p>召回企业：示例电器有限公司</p><p>召回产品：电热水壶</p><p>缺陷：温控器失效，可能干烧</p><p>处理办法：免费更换温控器</p>',
      url: 'https://jianguan.example.gov.cn/recalls/kettle/',
      date: beijingMidnight('2023-09-12'),
    });
  });
});

describe('paragraphs', () => {
  it('drops blank lines', () => {
    expect(paragraphs(['a', '  ', ''])).toBe('<p>a</p>');
  });
});
