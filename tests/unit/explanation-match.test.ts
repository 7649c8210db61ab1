import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { announcementSchema, explanationSchema } from '../../src/lib/content-schemas';
import {
  confidentExplanation,
  suggestExplanations,
  type ExplanationCandidate,
} from '../../src/lib/publishing/explanation-match';

const candidates: ExplanationCandidate[] = [
  { slug: 'biao-shi-yi-dong-dian-yuan', aliases: ['标识', '材料阻燃'], category: '移动电源' },
  { slug: 'dao-ti-dian-zu-dian-xian-dian-lan', aliases: ['导体电阻'], category: '电线电缆' },
  { slug: 'dao-ti-dian-zu-ju-l', aliases: ['导体电阻'], category: '电线电缆（聚氯乙烯绝缘电线电缆）' },
  { slug: 'ph-zhi-er-tong-fu-zhuang', aliases: ['pH值'], category: '儿童服装、羊绒羊毛制品' },
  {
    slug: 'cha-tou',
    testItem: '尺寸检查；爬电距离、电气间隙和通过密封胶的距离',
    aliases: ['尺寸检查', '爬电距离', '电气间隙和通过密封胶的距离'],
    category: '家用和类似用途插头插座',
  },
  { slug: 'xian-wei-han-liang-cosplay', aliases: ['纤维含量'], category: '特殊场合服装（cosplay服饰）' },
];

describe('confidentExplanation (the link an importer makes on its own)', () => {
  it('links an item to the explanation of the same test for a related product', () => {
    expect(confidentExplanation('导体电阻（实测8.12Ω/km）', '电线电缆', candidates)).toBe(
      'dao-ti-dian-zu-dian-xian-dian-lan',
    );
    expect(confidentExplanation('ＰＨ 值', '婴幼儿服装', candidates)).toBe('ph-zhi-er-tong-fu-zhuang');
  });

  it('prefers the explanation whose category is closest', () => {
    expect(confidentExplanation('导体电阻', '聚氯乙烯绝缘电线电缆', candidates)).toBe('dao-ti-dian-zu-ju-l');
  });

  it('refuses a generic "标识" across unrelated categories', () => {
    expect(confidentExplanation('标识', '电动自行车', candidates)).toBeUndefined();
    expect(confidentExplanation('产品标识', '电线电缆', candidates)).toBeUndefined();
    expect(confidentExplanation('标识', '移动电源', candidates)).toBe('biao-shi-yi-dong-dian-yuan');
  });

  it('links nothing for an unknown item, an empty name, or a near spelling', () => {
    expect(confidentExplanation('绝缘平均厚度', '电线电缆', candidates)).toBeUndefined();
    expect(confidentExplanation('（实测1.2）', '电线电缆', candidates)).toBeUndefined();
    expect(confidentExplanation('电气间隙和穿通密封胶距离', '家用和类似用途插头插座', candidates)).toBeUndefined();
  });
});

describe('suggestExplanations', () => {
  it('ranks suggestions and says why', () => {
    expect(suggestExplanations('导体电阻（实测20.23Ω/km）', '聚氯乙烯绝缘电线电缆', candidates)).toEqual([
      {
        slug: 'dao-ti-dian-zu-ju-l',
        testItem: '导体电阻',
        category: '电线电缆（聚氯乙烯绝缘电线电缆）',
        confidence: 'strong',
        score: 105,
        reason: '与解读的检测项目「导体电阻」同名，适用于「电线电缆（聚氯乙烯绝缘电线电缆）」',
      },
      {
        slug: 'dao-ti-dian-zu-dian-xian-dian-lan',
        testItem: '导体电阻',
        category: '电线电缆',
        confidence: 'strong',
        score: 103,
        reason: '与解读的检测项目「导体电阻」同名，适用于「电线电缆」',
      },
    ]);
  });

  it('offers a near spelling, and the same test written for another product, as possible only', () => {
    const [near] = suggestExplanations('电气间隙和穿通密封胶距离', '家用和类似用途插头插座', candidates);
    expect(near).toMatchObject({ slug: 'cha-tou', confidence: 'possible' });
    expect(near?.reason).toMatch(/^与检测项目「电气间隙和通过密封胶的距离」写法相近（相同字词 \d+%），适用于/);
    const [other] = suggestExplanations('纤维含量', '床上用品', candidates);
    expect(other).toMatchObject({ slug: 'xian-wei-han-liang-cosplay', confidence: 'possible' });
    expect(other?.reason).toBe(
      '与解读的检测项目「纤维含量」同名，但这篇解读写的是「特殊场合服装（cosplay服饰）」，请确认是否适用于「床上用品」',
    );
  });

  it('says "no good match" with an empty list', () => {
    expect(suggestExplanations('耐磨性能', '童鞋', candidates)).toEqual([]);
    expect(suggestExplanations('标识', '童鞋', candidates)).toEqual([]);
  });
});

describe('on the sample content', () => {
  const root = resolve(import.meta.dirname, '..', '..', 'content');
  const read = (folder: string) =>
    readdirSync(join(root, folder))
      .filter((name) => name.endsWith('.json'))
      .map((name) => ({
        slug: basename(name, '.json'),
        data: JSON.parse(readFileSync(join(root, folder, name), 'utf8')) as unknown,
      }));
  const explanations: ExplanationCandidate[] = read('explanations').map(({ slug, data }) => {
    const explanation = explanationSchema.parse(data);
    return { slug, testItem: explanation.testItem, aliases: explanation.aliases, category: explanation.category };
  });
  const items = read('announcements').flatMap(({ data }) => {
    const announcement = announcementSchema.parse(data);
    return announcement.failedProducts.flatMap((product) =>
      product.failedItems.map((item) => ({ ...item, category: announcement.category })),
    );
  });

  it('suggests first the explanation the content links, for every linked item', () => {
    const linked = items.filter((item) => item.explanation);
    const right = linked.filter(
      (item) => suggestExplanations(item.text, item.category, explanations)[0]?.slug === item.explanation,
    );
    const gaps = items.filter((item) => !item.explanation);
    const offered = gaps.filter((item) => suggestExplanations(item.text, item.category, explanations).length > 0);
    // The measurement the task asks for, printed with the test run.
    console.info(
      `解读匹配：${items.length} 个不合格项目，${linked.length} 个已链接解读，其中 ${right.length} 个的首选建议正确；` +
        `${gaps.length} 个没有解读，其中 ${offered.length} 个有“可能”的建议：` +
        offered.map((item) => `${item.text}（${item.category}）`).join('、'),
    );
    expect(items).toHaveLength(99);
    expect(linked).toHaveLength(40);
    expect(right.map((item) => item.text)).toEqual(linked.map((item) => item.text));
  });

  it('never makes a strong suggestion for an item the content leaves unlinked', () => {
    const strong = items
      .filter((item) => !item.explanation)
      .filter((item) => suggestExplanations(item.text, item.category, explanations)[0]?.confidence === 'strong')
      .map((item) => `${item.text}（${item.category}）`);
    expect(strong).toEqual([]);
  });
});
