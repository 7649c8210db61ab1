import { describe, expect, it } from 'vitest';
import {
  citedStandards,
  dateSortKey,
  withTitleYear,
  formatPublishedDate,
  itemName,
  parsePublishedDate,
  splitFailedItems,
  stagesFromText,
} from '../../src/lib/sampling/normalise';

describe('parsePublishedDate', () => {
  it('takes the day a text starts with and keeps the words', () => {
    expect(parsePublishedDate('2024-01-04（据URL）')).toEqual({
      text: '2024-01-04（据URL）',
      iso: '2024-01-04',
      year: 2024,
    });
  });

  it('takes only a year when no day is named', () => {
    expect(parsePublishedDate('2014年第四季度')).toEqual({ text: '2014年第四季度', year: 2014 });
    expect(parsePublishedDate('2019')).toEqual({ text: '2019', year: 2019 });
  });

  it('keeps no year for a year that belongs to another event', () => {
    expect(parsePublishedDate('4月23日（产品为2024年5月制造）')).toEqual({ text: '4月23日（产品为2024年5月制造）' });
  });

  it('gives an empty date for nothing', () => {
    expect(parsePublishedDate(null)).toEqual({ text: null });
    expect(parsePublishedDate('   ')).toEqual({ text: null });
  });

  it('sorts days before years before undated, and formats in Chinese', () => {
    expect(dateSortKey({ text: 'x', iso: '2024-01-04', year: 2024 }, '2026-11-21')).toBe('2024-01-04');
    expect(dateSortKey({ text: 'x', year: 2014 }, '2026-11-21')).toBe('2014-00-00');
    expect(dateSortKey({ text: '2020-04（据URL）', year: 2020 }, '2026-11-21')).toBe('2020-04-00');
    expect(dateSortKey({ text: '2021年5月抽检', year: 2021 }, '2026-11-21')).toBe('2021-05-00');
    expect(dateSortKey({ text: '2018年第四季度（报道2019-02-27）', year: 2018 }, '2026-11-21')).toBe('2018-10-00');
    // Undated: listed by the day this portal published it, not below every dated record.
    expect(dateSortKey({ text: '8日公布' }, '2026-11-21')).toBe('2026-11-21');
  });

  it('takes a year the title names when the date field is empty, never a day', () => {
    expect(withTitleYear({ text: null }, '2025年上海市儿童游泳圈产品质量监督抽查结果公布')).toEqual({
      text: null,
      year: 2025,
    });
    expect(withTitleYear({ text: null }, '上海市儿童游泳圈')).toEqual({ text: null });
    expect(formatPublishedDate({ text: 'x', iso: '2024-01-04', year: 2024 })).toBe('2024年1月4日');
    expect(formatPublishedDate({ text: null })).toBe('日期未注明');
  });
});

describe('stagesFromText', () => {
  it('reads production, shops and online sales', () => {
    expect(stagesFromText('生产领域')).toEqual(['生产']);
    expect(stagesFromText('实体店和电商平台')).toEqual(['流通', '电商']);
    expect(stagesFromText('生产企业、超市及网络销售')).toEqual(['生产', '流通', '电商']);
  });

  it('does not count online selling as a shop', () => {
    expect(stagesFromText('电商平台销售')).toEqual(['电商']);
    expect(stagesFromText(null)).toEqual([]);
  });
});

describe('splitFailedItems', () => {
  it('splits at top-level separators only', () => {
    expect(splitFailedItems('标识、甲醛含量；pH值;纤维含量')).toEqual(['标识', '甲醛含量', 'pH值', '纤维含量']);
    expect(splitFailedItems('A、B（实测1、2）')).toEqual(['A', 'B（实测1、2）']);
  });

  it('keeps separators inside nested and mixed brackets', () => {
    expect(splitFailedItems('pH值（袜套（左、右）实测9.6；标准4.0~8.5）、纤维含量【标注：棉、麻】')).toEqual([
      'pH值（袜套（左、右）实测9.6；标准4.0~8.5）',
      '纤维含量【标注：棉、麻】',
    ]);
  });

  it('drops empty parts and returns nothing for nothing', () => {
    expect(splitFailedItems('、导体电阻、、')).toEqual(['导体电阻']);
    expect(splitFailedItems('  ')).toEqual([]);
    expect(splitFailedItems(undefined)).toEqual([]);
  });

  it('names an item without its bracketed details', () => {
    expect(itemName('pH值（实测8.4）')).toBe('pH值');
  });
});

describe('citedStandards', () => {
  it('finds national, industry and local rule numbers once each', () => {
    expect(
      citedStandards(
        '依据GB 31701-2015和GB/T 2912.1-2009，FZ/T 81014-2008，细则SHSSXZ0247-2025；再次引用GB 31701-2015。',
      ),
    ).toEqual(['GB 31701-2015', 'GB/T 2912.1-2009', 'FZ/T 81014-2008', 'SHSSXZ0247-2025']);
  });

  it('normalises the space and finds nothing in plain text', () => {
    expect(citedStandards('GB  18401-2010')).toEqual([]);
    expect(citedStandards('GB18401-2010')).toEqual(['GB18401-2010']);
    expect(citedStandards('没有标准')).toEqual([]);
  });
});
