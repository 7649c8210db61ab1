import { beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { buildPassages } from '../../src/lib/assistant/passages';
import { AssistantIndex } from '../../src/lib/assistant/search-index';
import { hanBigrams, namingWords, queryTerms, segmentWords } from '../../src/lib/assistant/segment';
import { summariseBatchCodes } from '../../src/lib/assistant/builtin';
import { prepareQuestion } from '../../src/lib/assistant/prepare';
import { retrieve } from '../../src/lib/assistant/retrieve';
import { loadContentFromFiles } from '../../src/server/assistant/content-files';

let index: AssistantIndex;

beforeAll(() => {
  index = new AssistantIndex(buildPassages(loadContentFromFiles(join(import.meta.dirname, '..', '..', 'content'))));
});

/** Page keys of the first `n` distinct pages a question retrieves. */
const topPages = (question: string, n = 3) =>
  [...new Set(retrieve(index, question).hits.map((h) => h.passage.page.key))].slice(0, n);

describe('segmentation', () => {
  test('cuts a citizen question into content words without particles', () => {
    expect(segmentWords('我家孩子的头盔被召回了吗')).toEqual(expect.arrayContaining(['孩子', '头盔', '召回']));
    expect(segmentWords('我家孩子的头盔被召回了吗')).not.toContain('吗');
  });

  test('keeps model numbers whole and lower-cased', () => {
    expect(segmentWords('格林牌TDT047Z电动自行车')).toContain('tdt047z');
  });

  test('adds bigrams so that a name inside a long company name is found', () => {
    expect(hanBigrams('久峰体育')).toEqual(['久峰', '峰体', '体育']);
  });

  test("expands everyday words to the records' wording", () => {
    const terms = queryTerms('电动车充电宝').map((t) => t.term);
    expect(terms).toEqual(expect.arrayContaining(['电动自行车', '移动电源']));
  });
});

describe('ranking', () => {
  test('finds a recall by brand', () => {
    expect(topPages('格林牌电动车召回了吗', 1)).toEqual(['recalls/2024-wu-xi-bao-dao-che-ye-ke-ji-you-xian']);
  });

  test('finds a recall by model number alone', () => {
    expect(topPages('TDT047Z', 1)).toEqual(['recalls/2024-wu-xi-bao-dao-che-ye-ke-ji-you-xian']);
  });

  test('finds a failed product by a short form of its manufacturer', () => {
    const hit = retrieve(index, '久峰的头盔').hits[0];
    expect(hit?.passage.facts.type).toBe('failed-product');
    expect(hit?.passage.names).toContain('宁波北仑久峰体育用品有限公司');
  });

  test('finds the explanation of a failed item by its name', () => {
    expect(topPages('甲醛含量不合格是什么意思', 2).every((key) => key.startsWith('explanations/jia-quan'))).toBe(true);
  });

  test('finds announcements by category', () => {
    expect(topPages('儿童运动头盔抽查结果')).toContain('announcements/2020-shang-hai-shi-er-tong-yun-dong-tou-kui');
  });

  test('finds recalls of a company by its name', () => {
    const pages = topPages('罗马仕召回');
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((key) => key.startsWith('recalls/') && key.includes('luo-ma-shi'))).toBe(true);
  });

  test('does not pass another product off as the one asked for', () => {
    const prepared = prepareQuestion(index, '小米牌头盔被召回了吗', []);
    expect(prepared.builtin.answer).toContain('没有找到与“小米”相符的记录');
    expect(prepared.builtin.answer).toContain('没有找到与“头盔”相关的召回');
    expect(prepared.builtin.answer).not.toContain('充电宝');
  });
});

describe('brands in any written form', () => {
  const juma = 'announcements/2020-shang-hai-shi-jia-yong-he-lei-si-yong';
  /** The first retrieved row, and whether the answer lists rows of other brands of the same announcement. */
  const firstRow = (question: string) => {
    const prepared = prepareQuestion(index, question, []);
    const row =
      prepared.kind === 'retrieved'
        ? prepared.retrieval.hits.find((h) => h.passage.facts.type === 'failed-product')
        : undefined;
    return { row, answer: prepared.builtin.answer };
  };

  test.each(['巨马牌插头抽检不合格吗', 'JUMA插头有什么问题', '巨马插头', 'juma巨马插头'])(
    '「%s」 finds the JUMA巨马 row, not the other rows',
    (question) => {
      const { row, answer } = firstRow(question);
      expect(row?.passage.page.key).toBe(juma);
      expect(row?.passage.facts).toMatchObject({ brand: 'JUMA巨马' });
      expect(answer).toContain('JM-A03');
      // The announcement's title names 巨马; the other rows of it are other brands.
      expect(answer).not.toContain('七度品尚');
    },
  );

  test('either half of NOIRITZ能率, with or without 牌', () => {
    for (const question of ['能率牌晾衣机不合格吗', 'NOIRITZ晾衣机']) {
      expect(firstRow(question).row?.passage.facts, question).toMatchObject({ brand: 'NOIRITZ能率' });
    }
  });

  test('牌 after a name is not part of the name', () => {
    expect(segmentWords('巨马牌插头')).toContain('巨马');
    expect(segmentWords('巨马牌插头')).not.toContain('巨马牌');
    expect(segmentWords('有什么品牌')).toContain('品牌');
  });
});

describe('the page the question is asked on', () => {
  const childrensHelmets = '/announcements/2020-shang-hai-shi-er-tong-yun-dong-tou-kui/';
  const explanationsOn = (question: string, pageUrl?: string) => {
    const prepared = prepareQuestion(index, question, [], pageUrl ? { pageUrl } : {});
    return prepared.kind === 'retrieved' ? [...new Set(prepared.retrieval.hits.map((h) => h.passage.page.key))] : [];
  };

  test("on the children's-helmet results, a failed item is explained for children's helmets, not motorcycle helmets", () => {
    for (const question of ['吸收碰撞能量性能不合格是什么意思', '头盔不合格有什么危害']) {
      expect(explanationsOn(question, childrensHelmets)[0], question).toBe(
        'explanations/tou-kui-xi-shou-peng-zhuang-neng-liang',
      );
    }
    // Asked on no page, the motorcycle-helmet explanation matches the words better.
    expect(explanationsOn('吸收碰撞能量性能不合格是什么意思')[0]).not.toBe(
      'explanations/tou-kui-xi-shou-peng-zhuang-neng-liang',
    );
  });

  test('what the question names still decides', () => {
    expect(explanationsOn('格林牌电动车召回了吗', childrensHelmets)).toEqual([
      'recalls/2024-wu-xi-bao-dao-che-ye-ke-ji-you-xian',
    ]);
  });

  test('a page that is not content adds nothing', () => {
    expect(index.pageContext('/assistant/').size).toBe(0);
    expect(index.pageContext(childrensHelmets)).toEqual(
      new Set([
        'announcements/2020-shang-hai-shi-er-tong-yun-dong-tou-kui',
        'explanations/tou-kui-xi-shou-peng-zhuang-neng-liang',
        'explanations/pei-dai-zhuang-zhi-qiang-du-er-tong-yun',
      ]),
    );
  });
});

describe('words said to be not found', () => {
  test('are whole words the citizen typed, never fragments jieba glued together', () => {
    expect(namingWords('晾衣机有什么问题')).not.toContain('机有');
    const prepared = prepareQuestion(index, '晾衣机有什么问题', []);
    expect(prepared.builtin.answer).not.toContain('机有');
    expect(prepared.builtin.answer).not.toContain('没有找到与');
  });

  test('are never place words, adjectives or question words', () => {
    expect(namingWords('手里的东西有害吗')).toEqual(['东西']);
    for (const question of ['手里的东西有害吗', '我手里的充电宝有害吗', '这个头盔有什么问题']) {
      const { answer } = prepareQuestion(index, question, []).builtin;
      expect(answer, question).not.toMatch(/没有找到与“[^”]*(手里|有害|什么|问题)/);
    }
  });

  test('still name an unknown brand that was typed', () => {
    expect(namingWords('小米牌头盔被召回了吗')).toEqual(expect.arrayContaining(['小米', '头盔']));
    expect(retrieve(index, '小米牌头盔被召回了吗').unknownWords).toEqual(['小米']);
  });
});

describe('built-in answers', () => {
  test('a recall answer quotes company, quantity, defect and remedy as written, with its source', () => {
    const { builtin } = prepareQuestion(index, '格林牌电动自行车召回怎么处理', []);
    expect(builtin.outcome).toBe('answered');
    expect(builtin.answer).toMatch(/找到 1 条相关召回/);
    for (const fact of [
      '无锡宝岛车业科技有限公司',
      '286辆',
      '充电线路未安装熔断器或断路器保护装置。',
      '联系经销商进行免费更换充电线路',
    ]) {
      expect(builtin.answer).toContain(fact);
    }
    expect(builtin.sources[0]).toEqual({
      title: '无锡宝岛车业科技有限公司召回格林牌TDT047Z电动自行车',
      url: '/recalls/2024-wu-xi-bao-dao-che-ye-ke-ji-you-xian/',
    });
  });

  test('a long list of batch codes is cut to the first few, with a link to the full recall page', () => {
    const { builtin } = prepareQuestion(index, '罗马仕PAC20-272移动电源被召回了吗', []);
    expect(builtin.answer).toContain('生产批次C14-P6/P7、M14-P6/P7、C13-P6/P7等 6 个批次');
    expect(builtin.answer).not.toContain('M20-Q1/Q2');
    expect(builtin.answer).toContain('全部批次见[召回页面](/recalls/nd-shen-zhen-luo-ma-shi-ke-ji-you-xian-gong/)');
    expect(builtin.answer).toContain('491745台');
    // A short list stays whole.
    expect(summariseBatchCodes('型号PLT20A-152（生产批次M20-P8/Q1；制造日期2023年8月）')).toEqual({
      text: '型号PLT20A-152（生产批次M20-P8/Q1；制造日期2023年8月）',
      cut: false,
    });
  });

  test('a meaning answer says what the item is, why it matters and what to do', () => {
    const { builtin } = prepareQuestion(index, '甲醛含量不合格是什么意思', []);
    expect(builtin.answer).toContain('是什么：');
    expect(builtin.answer).toContain('为什么重要：');
    expect(builtin.sources.length).toBeGreaterThan(0);
  });

  test('what the content does not hold is said plainly, with where to ask', () => {
    const { builtin } = prepareQuestion(index, '智能马桶盖的抽查结果怎么样', []);
    expect(builtin.outcome).toBe('not-found');
    expect(builtin.answer).toContain('12315');
    expect(builtin.sources).toEqual([]);
  });

  test('off-topic requests are declined', () => {
    for (const question of ['明天上海天气怎么样', '帮我写一首关于春天的诗', '推荐几只股票', '用Python写个爬虫']) {
      expect(prepareQuestion(index, question, []).builtin.outcome, question).toBe('off-topic');
    }
  });

  test('a short follow-up is searched with the previous question', () => {
    const prepared = prepareQuestion(index, '召回了吗', [
      { role: 'user', content: '倍思移动电源' },
      { role: 'assistant', content: '……' },
    ]);
    expect(prepared.builtin.sourceKeys).toContain('recalls/2025-bei-si-ke-ji-bei-si-pai-bs-30kp365');
  });
});
