import { describe, expect, test } from 'vitest';
import { excerptPieces } from '../../src/lib/search/excerpt';
import { queryTerms, RESULTS_CHECKED, searchSummary, sortResults } from '../../src/lib/search/query-terms';

const page = (title: string, body = '') => ({ title, text: `${title} ${body}` });

describe('queryTerms', () => {
  test.each([
    ['公牛插座', ['公牛', '插座']],
    ['充电宝', ['充电宝']],
    ['小米充电宝', ['小米', '充电宝']],
    ['美创威', ['美创威']],
    ['罗马仕移动电源', ['罗马仕', '移动', '电源']],
    ['公牛 插座', ['公牛', '插座']],
    ['头盔A8', ['头盔', 'a8']],
    ['宝', ['宝']],
    ['  “甲醛”！ ', ['甲醛']],
  ])('%s → %j', (query, terms) => {
    expect(queryTerms(query)).toEqual(terms);
  });
});

describe('sortResults and searchSummary', () => {
  const sockets = [
    page('上海市插头插座、转换器产品质量监督抽查情况', '插座 不合格'),
    page('2021年广州市插头插座产品质量监督抽查结果', '插座'),
  ];

  test('a brand in no result is said first, and the results are labelled related', () => {
    const sorted = sortResults('公牛插座', sockets);
    expect(sorted.missing).toEqual(['公牛']);
    expect(sorted.matching).toEqual([]);
    expect(sorted.related).toEqual(sockets);
    const summary = searchSummary('公牛插座', sorted);
    expect(summary.status).toMatch(/^没有找到含“公牛”的抽查结果/);
    expect(summary.status).toContain('都不含“公牛”');
    expect(summary.relatedHeading).toBe('与“插座”相关的结果（不含“公牛”）');
  });

  test('results with every word come first; results with some words are related', () => {
    const bull = page('某区插座抽查', '公牛牌插座 1 批次不合格');
    const sorted = sortResults('公牛插座', [...sockets, bull]);
    expect(sorted.missing).toEqual([]);
    expect(sorted.matching).toEqual([bull]);
    expect(sorted.related).toEqual(sockets);
    expect(searchSummary('公牛插座', sorted)).toEqual({
      status: '找到 1 条含“公牛”“插座”的结果，另有 2 条只含其中部分词的相关结果。',
      relatedHeading: '相关结果（只含“公牛”“插座”中的部分词）',
    });
  });

  test('a match on one character of a word is noise and is dropped: 宝岛 is no 充电宝', () => {
    const powerBank = page('召回存在安全隐患的充电宝产品');
    const ebike = page('宝岛（天津）智能科技有限公司召回电动自行车', '充电器');
    const sorted = sortResults('充电宝', [powerBank, ebike]);
    expect(sorted.matching).toEqual([powerBank]);
    expect(sorted.related).toEqual([]);
    expect(searchSummary('充电宝', sorted).status).toBe('找到 1 条含“充电宝”的结果。');
  });

  test('nothing found says so', () => {
    const sorted = sortResults('不存在的词', [page('电线电缆')]);
    expect(searchSummary('不存在的词', sorted).status).toMatch(/^没有找到与“不存在的词”相关的内容/);
  });

  test('reads a bounded number of results', () => {
    const many = Array.from({ length: RESULTS_CHECKED + 40 }, (_, i) => page(`插座 ${i}`));
    const sorted = sortResults('插座', many);
    expect(sorted.matching).toHaveLength(RESULTS_CHECKED);
  });
});

describe('excerptPieces', () => {
  const text = (pieces: { text: string }[]) => pieces.map((p) => p.text).join('');

  test('starts at the clause of the first word found, not mid-name', () => {
    const body =
      '发布机构 国家市场监督管理总局。深圳罗马仕科技有限公司、安克创新科技股份有限公司、小米通讯技术有限公司召回存在安全隐患的充电宝产品，涉及多个型号。';
    const pieces = excerptPieces(body, ['充电宝'], 60);
    expect(text(pieces)).toMatch(/^…小米通讯技术有限公司召回存在安全隐患的充电宝产品/);
    expect(pieces.filter((p) => p.marked).map((p) => p.text)).toEqual(['充电宝']);
  });

  test('marks every occurrence, any case, and ends with an ellipsis when cut', () => {
    const pieces = excerptPieces('USB插线板：带usb接口的插线板4成不合格，另有更多文字'.repeat(3), ['usb'], 30);
    expect(pieces.filter((p) => p.marked).map((p) => p.text)).toEqual(['USB', 'usb']);
    expect(pieces.at(-1)).toEqual({ text: '…', marked: false });
    expect(pieces[0]).toEqual({ text: 'USB', marked: true });
  });

  test('a clause starting far back starts the excerpt at the word itself', () => {
    const pieces = excerptPieces(`${'长'.repeat(100)}甲醛超标`, ['甲醛'], 20);
    expect(text(pieces)).toBe('…甲醛超标');
  });
});
