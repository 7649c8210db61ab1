/**
 * Synthetic announcements for bench-publish: deterministic, marked
 * `example: true` and titled 示例, with failed items linked to the real explanations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  announcementSchema,
  explanationSchema,
  type Announcement,
  type FailedProduct,
} from '../../src/lib/content-schemas';

/** Small deterministic PRNG (mulberry32): every run builds the same site. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = [
  '上海市',
  '上海市青浦区',
  '上海市浦东新区',
  '上海市闵行区',
  '上海市松江区',
  '江苏省',
  '浙江省杭州市',
  '广东省深圳市',
  '全国',
];
const STAGE_NOTES = ['生产领域', '流通领域（商场、超市）', '电商平台销售', '生产企业、实体店和电商平台'];
const BRANDS = ['示例牌', '甲乙', '丙丁', '无', '/', '优品', '星辰', '安家'];

export interface ExplanationRef {
  slug: string;
  aliases: string[];
  category: string;
}

export function readExplanations(contentDir: string): ExplanationRef[] {
  const dir = join(contentDir, 'explanations');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const e = explanationSchema.parse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      return { slug: name.replace(/\.json$/, ''), aliases: e.aliases, category: e.category };
    })
    .filter((e) => e.aliases.length > 0);
}

export function syntheticAnnouncement(
  index: number,
  next: () => number,
  explanations: readonly ExplanationRef[],
): Announcement {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const explanation = pick(explanations);
  const related = explanations.filter((e) => e.category === explanation.category);
  const category = explanation.category;
  const region = pick(REGIONS);
  const year = 2015 + Math.floor(next() * 11);
  const iso = `${year}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
  const failedCount = Math.floor(next() * 9); // 0–8
  const sampled = failedCount + 5 + Math.floor(next() * 60);
  const failedProducts: FailedProduct[] = Array.from({ length: failedCount }, (_, p) => ({
    productName: `${category.split(/[、（(]/)[0]}（示例${p + 1}）`,
    brand: pick(BRANDS),
    modelSpec: `XL-${100 + Math.floor(next() * 900)}`,
    batchOrDate: `${year - 1}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}`,
    manufacturer: `示例${pick(['电器', '纺织', '塑料', '线缆', '五金'])}有限公司${p + 1}号`,
    sampledUnit: `示例商店${Math.floor(next() * 500)}`,
    failedItems: Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
      const e = pick(related);
      return { text: `${pick(e.aliases)}（实测值不符合标准要求）`, explanation: e.slug };
    }),
    inspectionBody: '示例检测中心',
  }));
  return announcementSchema.parse({
    title: `示例：${year}年${region}${category}产品质量监督抽查结果（第${index + 1}号）`,
    issuer: `${region}市场监督管理局（示例）`,
    date: { text: iso, iso, year },
    category,
    region,
    stages: [],
    stageNote: pick(STAGE_NOTES),
    batches: { sampled, failed: failedCount },
    summary: `示例数据：本次抽查${category}${sampled}批次，发现${failedCount}批次不合格。基准测试生成，非真实公告。`,
    failedProducts,
    source: { url: `https://example.org/bench/${index + 1}`, note: '基准测试生成的示例数据' },
    firstPublishedAt: iso,
    example: true,
  });
}
