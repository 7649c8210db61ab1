/**
 * What citizens are told must be the source's own and plain: dates without the transcriber's
 * bookkeeping, no truncation marks in the text, recall names never cut short, no unsourced plan text.
 * Checked on the rules and on every shipped content file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  announcementSchema,
  campaignReportSchema,
  explanationSchema,
  planSchema,
  recallSchema,
} from '../../src/lib/content-schemas';
import {
  dateProvenance,
  formatPublishedDate,
  moveTruncationMarks,
  portalPublishedLabel,
} from '../../src/lib/sampling/normalise';
import { ownerAction, recallHeading, remedyGivesContact } from '../../src/lib/sampling/recall';
import { planLabel } from '../../src/lib/plan/plan-label';

const contentDir = resolve(import.meta.dirname, '..', '..', 'content');
const read = <T>(folder: string, parse: (data: unknown) => T) =>
  readdirSync(join(contentDir, folder))
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, data: parse(JSON.parse(readFileSync(join(contentDir, folder, name), 'utf8'))) }));

const announcements = read('announcements', (d) => announcementSchema.parse(d));
const recalls = read('recalls', (d) => recallSchema.parse(d));
const explanations = read('explanations', (d) => explanationSchema.parse(d));
const reports = read('campaign-reports', (d) => campaignReportSchema.parse(d));
const plans = read('plans', (d) => planSchema.parse(d));

describe('dates shown to citizens', () => {
  it('drop the bookkeeping brackets and keep them for the source note', () => {
    const date = { text: '2014年2季度（页面2014-06-04）', year: 2014 };
    expect(formatPublishedDate(date)).toBe('2014年2季度');
    expect(dateProvenance(date)).toBe('2014年2季度（页面2014-06-04）');
    expect(formatPublishedDate({ text: '1月15日（财经）' })).toBe('1月15日');
    expect(formatPublishedDate({ text: '2024-01-04（据URL）', iso: '2024-01-04', year: 2024 })).toBe('2024年1月4日');
    expect(dateProvenance({ text: '2024-01-04', iso: '2024-01-04', year: 2024 })).toBeNull();
    expect(formatPublishedDate({ text: null })).toBe('日期未注明');
  });

  it('say 本站发布于 when the source names no exact day', () => {
    expect(portalPublishedLabel({ text: '2021年', year: 2021 }, '2026-11-21')).toBe('本站发布于 2026年11月21日');
    expect(portalPublishedLabel({ text: '2021-08-20', iso: '2021-08-20', year: 2021 }, '2026-11-21')).toBeNull();
  });

  it('carry no bracket, 据URL or 页面 in any shipped record', () => {
    const shown = [...announcements, ...recalls].map(({ name, data }) => `${name}: ${formatPublishedDate(data.date)}`);
    expect(shown.filter((line) => /[（()）]|据URL|页面|转载|报道/.test(line))).toEqual([]);
  });
});

describe('truncation marks', () => {
  it('move from the text into the source note', () => {
    const moved = moveTruncationMarks({
      likelyCauses: '使用含杂质的铜、铝；（原文后续截断）',
      items: [{ text: '浙…（摘录截断）' }],
      source: { url: 'https://example.org/x', note: '转载' },
    });
    expect(moved).toEqual({
      likelyCauses: '使用含杂质的铜、铝；',
      items: [{ text: '浙…' }],
      source: { url: 'https://example.org/x', note: '转载；摘录说明：原文后续截断；摘录截断' },
    });
  });

  it('appear in no shipped text outside the source note', () => {
    const leaks = [...announcements, ...recalls, ...explanations, ...reports].filter(({ data }) => {
      const { source: _source, ...shown } = data;
      return /截断/.test(JSON.stringify(shown));
    });
    expect(leaks.map((l) => l.name)).toEqual([]);
  });
});

describe('recalls', () => {
  it('are named by company and the whole product, never a cut-short title', () => {
    expect(recallHeading({ company: '甲公司', product: '品牌/型号为PLD150-15CH06/48V 2.8A型充电器' })).toBe(
      '甲公司召回品牌/型号为PLD150-15CH06/48V 2.8A型充电器',
    );
    for (const { data } of recalls) {
      expect(recallHeading(data)).toContain(data.company);
      expect(recallHeading(data)).toContain(data.product);
      if (data.titleComposed) expect(data.title).toBe(recallHeading(data));
    }
  });

  it('tell the owner to call 12315 or the seller when the remedy gives no contact', () => {
    expect(remedyGivesContact('免费更换温控器')).toBe(false);
    expect(ownerAction('免费更换温控器')).toContain('拨打 12315 或联系销售者');
    expect(ownerAction(null)).toContain('拨打 12315 或联系销售者');
    expect(remedyGivesContact('请拨打客服热线400-820-1234')).toBe(true);
    expect(ownerAction('请拨打客服热线400-820-1234')).toContain('按上面的召回措施联系企业');
  });
});

describe('plans', () => {
  it('are named with their year and area', () => {
    expect(planLabel({ year: 2024, region: '青浦区' })).toBe('2024 年青浦区抽查计划');
    for (const { data } of plans) expect(data.title).toContain(data.region);
  });

  it('carry no text the source does not give: no per-item method, no focus of our own', () => {
    const qingpu = plans.find((p) => p.name === '2024-qingpu.json')!.data;
    expect(qingpu.focus).toBeNull();
    expect(qingpu.items.every((item) => item.method === null)).toBe(true);
    expect(qingpu.form).toBe('以专项监督抽查为主');
  });
});
