import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  announcementSchema,
  explanationSchema,
  planSchema,
  publishedDateSchema,
  recallSchema,
} from '../../src/lib/content-schemas';

const validAnnouncement = {
  title: '示例：2025年电线电缆产品质量监督抽查结果',
  issuer: '示例区市场监督管理局',
  date: { text: '2025-03-18', iso: '2025-03-18', year: 2025 },
  category: '电线电缆',
  region: '上海市示例区',
  batches: { sampled: 30, failed: 2 },
  failedProducts: [
    { productName: '聚氯乙烯绝缘电线', failedItems: [{ text: '导体电阻', explanation: 'dao-ti-dian-zu' }] },
  ],
  source: { url: 'https://example.org/a.html' },
  firstPublishedAt: '2025-03-20',
  example: true,
};

/** "path: message" for each issue, the way the content build names a failing field. */
function issues(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('announcementSchema', () => {
  it('accepts a valid entry and fills the defaults', () => {
    const parsed = announcementSchema.parse(validAnnouncement);
    expect(parsed).toMatchObject({ titleComposed: false, stages: [], stageNote: null, summary: '', example: true });
    expect(parsed.source.note).toBeNull();
    expect(parsed.failedProducts[0]).toMatchObject({ brand: null, manufacturer: null, inspectionBody: null });
  });

  it('refuses more failed batches than sampled, naming batches.failed', () => {
    expect(issues(announcementSchema, { ...validAnnouncement, batches: { sampled: 3, failed: 4 } })).toEqual([
      'batches.failed: 不合格批次数不能大于抽查批次数',
    ]);
    // Unknown totals cannot contradict each other.
    expect(issues(announcementSchema, { ...validAnnouncement, batches: { sampled: null, failed: 4 } })).toEqual([]);
  });

  it('refuses a bad URL, an empty product name and an unknown stage, each by its path', () => {
    expect(
      issues(announcementSchema, {
        ...validAnnouncement,
        stages: ['批发'],
        source: { url: 'www.example.org/a' },
        failedProducts: [{ productName: '' }],
      }),
    ).toEqual([
      expect.stringMatching(/^stages\.0: /),
      expect.stringMatching(/^failedProducts\.0\.productName: /),
      expect.stringMatching(/^source\.url: /),
    ]);
  });

  it('requires a source URL for every announcement', () => {
    const { source: _source, ...withoutSource } = validAnnouncement;
    expect(issues(announcementSchema, withoutSource)).toEqual([expect.stringMatching(/^source: /)]);
  });
});

describe('publishedDateSchema', () => {
  it('accepts a day, a year only, or only the source words', () => {
    expect(issues(publishedDateSchema, { text: '2014年第四季度', year: 2014 })).toEqual([]);
    expect(issues(publishedDateSchema, { text: '4月23日' })).toEqual([]);
    expect(issues(publishedDateSchema, { text: null })).toEqual([]);
  });

  it('refuses malformed and impossible ISO days', () => {
    expect(issues(publishedDateSchema, { text: 'x', iso: '2025-3-18', year: 2025 })).toContain(
      'iso: 日期须写成 YYYY-MM-DD',
    );
    expect(issues(publishedDateSchema, { text: 'x', iso: '2025-13-01', year: 2025 })).toEqual(['iso: 不是有效的日期']);
    // Date.parse would roll this over to March 3rd.
    expect(issues(publishedDateSchema, { text: 'x', iso: '2025-02-31', year: 2025 })).toEqual(['iso: 不是有效的日期']);
    expect(issues(publishedDateSchema, { text: 'x', iso: '2024-02-29', year: 2024 })).toEqual([]);
  });

  it('refuses a year that disagrees with (or is missing beside) the ISO day', () => {
    expect(issues(publishedDateSchema, { text: 'x', iso: '2025-03-18', year: 2024 })).toEqual([
      'year: year 必须与 iso 日期的年份一致',
    ]);
    expect(issues(publishedDateSchema, { text: 'x', iso: '2025-03-18' })).toEqual([
      'year: year 必须与 iso 日期的年份一致',
    ]);
  });

  it('names the nested path inside an announcement', () => {
    expect(
      issues(announcementSchema, { ...validAnnouncement, date: { text: 'x', iso: '2025-03-18', year: 2024 } }),
    ).toEqual(['date.year: year 必须与 iso 日期的年份一致']);
  });
});

describe('other collections', () => {
  it('explanations need a test item, a category and a source', () => {
    expect(
      issues(explanationSchema, {
        testItem: '导体电阻',
        category: '电线电缆',
        source: { url: 'https://example.org/e' },
      }),
    ).toEqual([]);
    expect(
      issues(explanationSchema, { testItem: '', category: '电线电缆', source: { url: 'https://example.org/e' } }),
    ).toEqual([expect.stringMatching(/^testItem: /)]);
  });

  it('recalls validate their date like announcements', () => {
    const recall = {
      title: '召回',
      date: { text: '2025-02-31', iso: '2025-02-31', year: 2025 },
      company: '甲',
      product: '乙',
      source: { url: 'https://example.org/r' },
      firstPublishedAt: '2025-03-01',
    };
    expect(issues(recallSchema, recall)).toEqual(['date.iso: 不是有效的日期']);
  });

  it('plan item ids are lower-case slugs and quarters are 1–4', () => {
    const plan = {
      year: 2025,
      title: '计划',
      region: '示例区',
      issuer: '局',
      items: [{ id: 'Dian-Xian', seq: 1, category: '电线', quarters: [5] }],
    };
    expect(issues(planSchema, plan)).toEqual([
      'items.0.id: id 只能包含小写字母、数字和连字符',
      expect.stringMatching(/^items\.0\.quarters\.0: /),
    ]);
  });
});
