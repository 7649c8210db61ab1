import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { announcementSchema } from '../../src/lib/content-schemas';
import {
  isCatchAllGroup,
  scopeOfRegion,
  scopeStats,
  SMALL_SAMPLE_BATCHES,
  type StatsRecord,
} from '../../src/lib/sampling/stats';

function record(
  id: string,
  fields: Partial<{
    category: string;
    region: string;
    year: number;
    sampled: number | null;
    failed: number | null;
    example: boolean;
  }>,
): StatsRecord {
  return {
    id,
    data: {
      title: `公告 ${id}`,
      category: fields.category ?? '电线电缆',
      region: fields.region ?? '上海市',
      date: fields.year === undefined ? { text: null } : { text: String(fields.year), year: fields.year },
      batches: {
        sampled: fields.sampled === undefined ? 100 : fields.sampled,
        failed: fields.failed === undefined ? 10 : fields.failed,
      },
      example: fields.example ?? false,
    },
  };
}

describe('scopeOfRegion', () => {
  it('keeps national, Shanghai and other regions apart', () => {
    expect(scopeOfRegion('全国')).toBe('national');
    expect(scopeOfRegion('全国（9个省市）')).toBe('national');
    expect(scopeOfRegion('上海市')).toBe('shanghai');
    expect(scopeOfRegion('上海市青浦区')).toBe('shanghai');
    expect(scopeOfRegion('青浦区')).toBe('shanghai');
    expect(scopeOfRegion('浦东新区')).toBe('shanghai');
    expect(scopeOfRegion('浙江省舟山市普陀区')).toBe('other');
    expect(scopeOfRegion('广东省')).toBe('other');
  });
});

describe('scopeStats', () => {
  it('pools batches instead of averaging rates', () => {
    const stats = scopeStats(
      [
        record('a', { category: '电线电缆', sampled: 100, failed: 50 }),
        record('b', { category: '电线电缆（聚氯乙烯绝缘电线电缆）', sampled: 900, failed: 0 }),
      ],
      'shanghai',
    );
    expect(stats.byCategory).toHaveLength(1);
    const wires = stats.byCategory[0]!;
    expect(wires.group).toBe('电线电缆');
    expect(wires).toMatchObject({ announcements: 2, sampled: 1000, failed: 50, smallSample: false });
    // The mean of the two rates would be 75 %; pooled batches give 95 %.
    expect(wires.passRate).toBeCloseTo(0.95);
    expect(wires.wordings).toEqual(['电线电缆', '电线电缆（聚氯乙烯绝缘电线电缆）']);
  });

  it('leaves out, and lists, records without both batch counts and example records', () => {
    const stats = scopeStats(
      [
        record('counted', { sampled: 40, failed: 4 }),
        record('no-failed', { sampled: 35, failed: null }),
        record('no-sampled', { sampled: null, failed: 26 }),
        record('made-up', { example: true }),
      ],
      'shanghai',
    );
    expect(stats.announcements).toBe(4);
    expect(stats.total).toMatchObject({ announcements: 1, sampled: 40, failed: 4 });
    expect(stats.excluded.map((e) => [e.id, e.reason])).toEqual([
      ['no-failed', 'missingBatches'],
      ['no-sampled', 'missingBatches'],
      ['made-up', 'example'],
    ]);
  });

  it('counts a zero-failure record: "0 不合格" is a result, not a missing value', () => {
    const stats = scopeStats([record('clean', { sampled: 30, failed: 0 })], 'shanghai');
    expect(stats.total.passRate).toBe(1);
    expect(stats.excluded).toEqual([]);
  });

  it('never pools scopes', () => {
    const all = [
      record('national', { region: '全国', sampled: 28265, failed: 3476 }),
      record('district', { region: '上海市', sampled: 20, failed: 1 }),
    ];
    expect(scopeStats(all, 'shanghai').total.sampled).toBe(20);
    expect(scopeStats(all, 'national').total.sampled).toBe(28265);
    expect(scopeStats(all, 'other').total.announcements).toBe(0);
    expect(scopeStats(all, 'other').byYear).toEqual([]);
  });

  it('flags small samples', () => {
    const stats = scopeStats(
      [record('s', { category: '头盔', sampled: SMALL_SAMPLE_BATCHES - 1, failed: 1 })],
      'shanghai',
    );
    expect(stats.byCategory[0]!.smallSample).toBe(true);
  });

  it('sorts specific groups by pass rate, lowest first, with the catch-all groups last', () => {
    const stats = scopeStats(
      [
        record('mixed', { category: '143种产品', sampled: 100, failed: 90 }),
        record('other', { category: '民用无人驾驶航空器', sampled: 100, failed: 80 }),
        record('helmets', { category: '摩托车乘员头盔', sampled: 100, failed: 20 }),
        record('wires', { category: '电线电缆', sampled: 100, failed: 40 }),
      ],
      'shanghai',
    );
    expect(stats.byCategory.map((row) => row.group)).toEqual(['电线电缆', '头盔', '多类产品综合', '其他产品']);
    expect(stats.byCategory.map((row) => isCatchAllGroup(row.group))).toEqual([false, false, true, true]);
  });

  it('lists every year from first to last, keeps empty years visible, and sets undated records apart', () => {
    const stats = scopeStats(
      [
        record('2020', { year: 2020, sampled: 50, failed: 5 }),
        record('2023a', { year: 2023, sampled: 10, failed: 1 }),
        record('2023b', { year: 2023, sampled: 30, failed: 3 }),
        record('undated', { sampled: 80, failed: 14 }),
      ],
      'shanghai',
    );
    expect(stats.byYear.map((row) => [row.year, row.announcements, row.sampled, row.failed])).toEqual([
      [2020, 1, 50, 5],
      [2021, 0, 0, 0],
      [2022, 0, 0, 0],
      [2023, 2, 40, 4],
    ]);
    expect(stats.byYear[1]!.passRate).toBeNull();
    expect(stats.undated.map((u) => u.id)).toEqual(['undated']);
    // The undated record still counts toward its category and the total.
    expect(stats.total.sampled).toBe(170);
  });

  it('matches a hand count over the real Shanghai wire-and-cable announcements', () => {
    const folder = join(import.meta.dirname, '../../content/announcements');
    const records: StatsRecord[] = readdirSync(folder)
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({
        id: file.replace(/\.json$/, ''),
        data: announcementSchema.parse(JSON.parse(readFileSync(join(folder, file), 'utf8'))),
      }));
    const wires = records.filter(
      (r) =>
        r.data.category.startsWith('电线电缆') &&
        scopeOfRegion(r.data.region) === 'shanghai' &&
        !r.data.example &&
        r.data.batches.sampled !== null &&
        r.data.batches.failed !== null,
    );
    const sampled = wires.reduce((sum, r) => sum + (r.data.batches.sampled ?? 0), 0);
    const failed = wires.reduce((sum, r) => sum + (r.data.batches.failed ?? 0), 0);
    const row = scopeStats(records, 'shanghai').byCategory.find((r) => r.group === '电线电缆');
    expect(wires.length).toBeGreaterThan(0);
    expect(row).toMatchObject({ announcements: wires.length, sampled, failed });
  });
});
