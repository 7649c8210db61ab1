import { describe, expect, it } from 'vitest';
import { announcementSchema, explanationSchema, recallSchema } from '../../src/lib/content-schemas';
import type { PublicationWithdrawal } from '../../src/lib/publishing/model';
import { SEARCH_LANGUAGE, searchRecords, type SearchableCatalogue } from '../../src/lib/search/records';

const announcement = announcementSchema.parse({
  title: '2025年上海市电动自行车头盔产品质量监督抽查结果',
  issuer: '上海市市场监督管理局',
  date: { text: '2025-03-18', iso: '2025-03-18', year: 2025 },
  category: '电动自行车头盔',
  region: '上海市青浦区',
  stages: ['流通'],
  batches: { sampled: 30, failed: 1 },
  summary: '本次抽查发现1批次不合格。',
  failedProducts: [
    {
      productName: '电动自行车乘员头盔',
      brand: '飞驰鹰',
      manufacturer: '永康市某某头盔厂',
      sampledUnit: '青浦区某某车行',
      failedItems: [{ text: '佩戴装置稳定性', explanation: 'pei-dai-zhuang-zhi' }],
    },
  ],
  source: { url: 'https://scjgj.sh.gov.cn/example' },
  firstPublishedAt: '2026-11-21',
});

const explanation = explanationSchema.parse({
  testItem: '甲醛含量',
  aliases: ['甲醛'],
  category: '纺织品',
  whatItIs: '检测织物中可释放的甲醛。',
  standards: ['GB 18401-2010'],
  source: { url: 'https://scjgj.sh.gov.cn/explanation' },
});

const recall = recallSchema.parse({
  title: '已召回70万件！',
  date: { text: '2024年', year: 2024 },
  company: '某某电器有限公司',
  product: '电热水壶',
  defect: '温控器失效。',
  source: { url: 'https://www.samr.gov.cn/recall' },
  firstPublishedAt: '2026-11-21',
  example: true,
});

function entry<T>(id: string, data: T, withdrawal: PublicationWithdrawal | null = null) {
  return { id, data, origin: 'store' as const, revisions: [], withdrawal, attachments: [] };
}

function catalogue(overrides: Partial<SearchableCatalogue> = {}): SearchableCatalogue {
  return {
    announcements: [entry('tou-kui-2025', announcement)],
    explanations: [entry('jia-quan', explanation)],
    recalls: [entry('dian-re-shui-hu', recall)],
    ...overrides,
  };
}

describe('search records of the catalogue', () => {
  it('gives each published item a record at its page address, in the language of the pages', () => {
    const records = [...searchRecords(catalogue())];
    expect(records.map((record) => record.url)).toEqual([
      '/announcements/tou-kui-2025/',
      '/explanations/jia-quan/',
      '/recalls/dian-re-shui-hu/',
    ]);
    expect(new Set(records.map((record) => record.language))).toEqual(new Set([SEARCH_LANGUAGE]));
    expect(SEARCH_LANGUAGE).toBe('zh-cn');
  });

  it('makes an announcement findable by its products, brands, manufacturers, failed items, region and year', () => {
    const [record] = [...searchRecords(catalogue())];
    for (const words of [
      '电动自行车头盔',
      '电动自行车乘员头盔',
      '飞驰鹰',
      '永康市某某头盔厂',
      '青浦区某某车行',
      '佩戴装置稳定性',
      '本次抽查发现1批次不合格',
      '上海市青浦区',
      '2025年',
    ])
      expect(record!.content).toContain(words);
    expect(record!.meta).toEqual({ title: announcement.title, date: '2025年3月18日' });
  });

  it('gives explanations their category as meta, as their pages do, and marks made-up content 示例', () => {
    const [, explanationRecord, recallRecord] = [...searchRecords(catalogue())];
    expect(explanationRecord!.meta).toEqual({ title: '甲醛含量不合格是什么意思？', category: '纺织品' });
    expect(explanationRecord!.content).toContain('GB 18401-2010');
    expect(recallRecord!.meta.title).toBe('某某电器有限公司召回电热水壶（示例）');
    expect(recallRecord!.content).toContain('原文标题：已召回70万件！');
    expect(recallRecord!.content).toContain('温控器失效');
  });

  it('leaves out withdrawn items', () => {
    const withdrawal = { reason: '数据有误', at: '2026-11-22T10:00:00+08:00', by: 'editor' };
    const records = [
      ...searchRecords(
        catalogue({
          announcements: [entry('tou-kui-2025', announcement, withdrawal), entry('tou-kui-2025-b', announcement)],
          recalls: [entry('dian-re-shui-hu', recall, withdrawal)],
        }),
      ),
    ];
    expect(records.map((record) => record.url)).toEqual(['/announcements/tou-kui-2025-b/', '/explanations/jia-quan/']);
  });

  it('writes no empty facts for values the source did not give', () => {
    const [record] = [
      ...searchRecords(
        catalogue({
          announcements: [
            entry('bare', {
              ...announcement,
              summary: '',
              rules: null,
              failedProducts: [],
              stages: [],
              stageNote: null,
            }),
          ],
        }),
      ),
    ];
    expect(record!.content).not.toMatch(/：(。|，|$)/);
    expect(record!.content).not.toContain('。。');
  });
});
