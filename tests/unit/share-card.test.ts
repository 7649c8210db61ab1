/**
 * The sharing card of announcements and recalls (issue 12, item 25): the layout wraps long text
 * inside the card and never past its footer, the card says what the page says (the result in the
 * source's words, the date as shown, 示例), and the article dates follow the feeds' day rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { announcementSchema, recallSchema, type Announcement, type Recall } from '../../src/lib/content-schemas';
import { announcementCard, articleTimes, recallCard, shareCardAlt } from '../../src/lib/share-card/content';
import {
  CARD_WIDTH,
  shareCardSvg,
  TEXT_BOTTOM,
  textWidth,
  worstCaseTextBottom,
  wrapText,
  type ShareCard,
} from '../../src/lib/share-card/layout';

const site = { name: '你点我查', host: '示例市市场监督管理局（示例）' };

function sample<T>(kind: string, slug: string, parse: (raw: unknown) => T): T {
  return parse(JSON.parse(readFileSync(join(import.meta.dirname, '../../content', kind, `${slug}.json`), 'utf8')));
}
const announcement = (slug: string) =>
  sample<Announcement>('announcements', slug, (raw) => announcementSchema.parse(raw));
const recall = (slug: string) => sample<Recall>('recalls', slug, (raw) => recallSchema.parse(raw));

const published = (number: number, publishedAt: string) => ({ number, publishedAt });

/** The lines of text the SVG draws, with their x position and font size. */
function drawnLines(svg: string): { x: number; size: number; text: string }[] {
  return [...svg.matchAll(/<text x="(\d+)" y="\d+" font-size="(\d+)"[^>]*>([^<]*)<\/text>/g)].map((match) => ({
    x: Number(match[1]),
    size: Number(match[2]),
    text: match[3]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  }));
}

describe('wrapText', () => {
  test('keeps short text on one line', () => {
    expect(wrapText('电热水器', 1000, 58, 2)).toEqual(['电热水器']);
  });

  test('wraps long Chinese text into lines that fit, losing nothing when the budget is enough', () => {
    const text = '网络交易商品（电风扇、电磁炉、电热水壶、手机、电源适配器、插头插座、转换器）';
    const lines = wrapText(text, 600, 40, 10);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe(text);
    // A closing mark may hang one character past the width; nothing else may.
    for (const line of lines) expect(textWidth(line.replace(/[，。、；：）]$/, ''), 40)).toBeLessThanOrEqual(600);
  });

  test('never starts a line with a closing mark nor ends one with an opening mark', () => {
    const text = '甲乙丙丁戊（己庚辛壬癸），甲乙丙丁戊己庚辛壬癸。甲乙丙丁（戊己庚辛壬癸甲乙丙丁）';
    for (const width of [160, 200, 240, 280, 320]) {
      const lines = wrapText(text, width, 40, 20);
      expect(lines.join('')).toBe(text);
      for (const line of lines.slice(1)) expect(line[0]).not.toMatch(/[，。、；：）]/);
      for (const line of lines.slice(0, -1)) expect(line.at(-1)).not.toMatch(/[（]/);
    }
  });

  test('keeps a model number whole when it fits on a line', () => {
    const lines = wrapText('万利达牌电热水壶，型号JT-1520C、JT-1520F', 420, 40, 5);
    expect(lines.some((line) => line.includes('JT-1520C'))).toBe(true);
    expect(lines.some((line) => line.includes('JT-1520F'))).toBe(true);
  });

  test('ends the last line in 「…」 when the text needs more lines than the budget', () => {
    const text = '儿童服装、婴幼儿服装、童鞋、学生用品、玩具、童车、纺织品、床上用品、家用电器、电线电缆';
    const lines = wrapText(text, 400, 40, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith('…')).toBe(true);
    expect(text.startsWith(lines.join('').slice(0, -1))).toBe(true);
    expect(textWidth(lines[1]!, 40)).toBeLessThanOrEqual(400);
  });
});

describe('the card layout', () => {
  const longest: ShareCard = {
    kind: '抽查结果公告',
    example: true,
    corrected: true,
    headline: '网'.repeat(200),
    result: '果'.repeat(200),
    alarming: true,
    detail: '局'.repeat(200),
    date: '日'.repeat(200),
    siteName: '你点我查',
    hostOrg: '局'.repeat(200),
  };

  test('the text of the longest card ends above the footer', () => {
    expect(worstCaseTextBottom(longest)).toBeLessThanOrEqual(TEXT_BOTTOM);
    const baselines = [...shareCardSvg(longest).matchAll(/<text x="\d+" y="(\d+)"/g)].map((match) => Number(match[1]));
    // Every line but the footer's (the last) sits above the footer band.
    for (const y of baselines.slice(0, -1)) expect(y).toBeLessThanOrEqual(TEXT_BOTTOM);
  });

  test('no line runs past the right edge of the card', () => {
    for (const line of drawnLines(shareCardSvg(longest)))
      expect(line.x + textWidth(line.text, line.size)).toBeLessThanOrEqual(CARD_WIDTH - 60 + line.size);
  });

  test('escapes the text it draws', () => {
    const svg = shareCardSvg({ ...longest, headline: '<script>&"', example: false });
    expect(svg).toContain('&lt;script&gt;&amp;&quot;');
    expect(svg).not.toContain('<script>');
  });

  test('says 示例 and 已更正 only on example and corrected items', () => {
    const texts = (card: ShareCard) => drawnLines(shareCardSvg(card)).map((line) => line.text);
    expect(texts(longest)).toEqual(expect.arrayContaining(['示例', '已更正']));
    const plain = texts({ ...longest, example: false, corrected: false });
    expect(plain).not.toContain('示例');
    expect(plain).not.toContain('已更正');
  });
});

describe('what an announcement card says', () => {
  test('the category, the batches in the source’s numbers and the date as the page shows it', () => {
    const card = announcementCard({ data: announcement('2006-shang-hai-shi-dian-re-shui-qi'), revisions: [] }, site);
    expect(card).toMatchObject({
      kind: '抽查结果公告',
      headline: '电热水器',
      result: '抽查 21 批次，不合格 2 批次',
      alarming: true,
      detail: '上海市工商行政管理局｜上海市',
      date: '发布日期：2006年3月15日',
      example: false,
      corrected: false,
    });
    const text = drawnLines(shareCardSvg(card)).map((line) => line.text);
    expect(text).toEqual(
      expect.arrayContaining(['电热水器', '抽查 21 批次，不合格 2 批次', '发布日期：2006年3月15日']),
    );
    expect(text.at(-1)).toBe('你点我查｜示例市市场监督管理局（示例）');
  });

  test('an undated announcement says so and gives the portal’s day, inventing none', () => {
    const data = announcement('nd-shan-xi-sheng-dian-re-shui-hu');
    expect(data.date.iso).toBeUndefined();
    const card = announcementCard({ data, revisions: [] }, site);
    expect(card.date).toBe(
      `发布日期：日期未注明（本站发布于 ${data.firstPublishedAt.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}）`,
    );
  });

  test('batches the source did not give are said to be missing, not zero', () => {
    const data = { ...announcement('2006-shang-hai-shi-dian-re-shui-qi'), batches: { sampled: null, failed: null } };
    const card = announcementCard({ data, revisions: [] }, site);
    expect(card.result).toBe('抽查批次原文未给出总数，不合格批次原文未给出');
    expect(card.alarming).toBe(false);
  });

  test('an example says 示例 in its alt text too, and a corrected one is marked', () => {
    const data = { ...announcement('2006-shang-hai-shi-dian-re-shui-qi'), example: true };
    const card = announcementCard(
      { data, revisions: [published(1, '2026-11-01T01:00:00Z'), published(2, '2026-11-02T01:00:00Z')] },
      site,
    );
    expect(card.example).toBe(true);
    expect(card.corrected).toBe(true);
    expect(shareCardAlt(card)).toBe(
      '（示例）抽查结果公告：电热水器。抽查 21 批次，不合格 2 批次。发布日期：2006年3月15日',
    );
  });
});

describe('what a recall card says', () => {
  test('the product, the company, the quantity and the date', () => {
    const card = recallCard({ data: recall('2018-shang-hai-chen-guang-wen-ju-gu-fen-you'), revisions: [] }, site);
    expect(card).toMatchObject({
      kind: '缺陷产品召回',
      headline: '晨光牌冰透固体胶，型号/规格ASG97197、ASG97198、ASG97199（2018年1月5日至7月4日生产）',
      result: '召回企业：上海晨光文具股份有限公司',
      detail: '召回数量：153600支',
      date: '发布日期：2018年9月6日',
    });
  });

  test('a quantity the source does not give is said to be missing', () => {
    const data = { ...recall('2018-shang-hai-chen-guang-wen-ju-gu-fen-you'), quantity: null };
    expect(recallCard({ data, revisions: [] }, site).detail).toBe('召回数量：原文未给出');
  });
});

describe('article times', () => {
  test('a dated item is published on its source’s day, midnight in Beijing, and never modified', () => {
    expect(articleTimes({ data: recall('2018-shang-hai-chen-guang-wen-ju-gu-fen-you'), revisions: [] })).toEqual({
      published: '2018-09-06T00:00:00+08:00',
      modified: null,
    });
  });

  test('an undated item is published on the day the portal first published it, as in the feeds', () => {
    const data = announcement('nd-shan-xi-sheng-dian-re-shui-hu');
    expect(articleTimes({ data, revisions: [published(1, '2026-11-21T02:00:00Z')] })).toEqual({
      published: `${data.firstPublishedAt}T00:00:00+08:00`,
      modified: null,
    });
  });

  test('a corrected item is modified when its latest correction was published, in Beijing time', () => {
    const data = announcement('2006-shang-hai-shi-dian-re-shui-qi');
    const revisions = [
      published(1, '2026-11-30T20:00:00Z'),
      published(2, '2026-11-30T17:30:05Z'),
      published(3, '2026-12-01T01:30:00Z'),
    ];
    expect(articleTimes({ data, revisions })).toEqual({
      published: '2006-03-15T00:00:00+08:00',
      modified: '2026-12-01T09:30:00+08:00',
    });
  });
});
