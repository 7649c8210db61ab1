import { describe, expect, test } from 'vitest';
import { announcementSchema, type Announcement } from '../../src/lib/content-schemas';
import {
  announcementFacets,
  filterQuery,
  matchesFilter,
  parseAnnouncementFilter,
} from '../../src/lib/sampling/announcement-filter';
import { pageOf } from '../../src/lib/paging';
import { categoryGroup } from '../../src/lib/sampling/category-groups';
import { formatPercent, passRate } from '../../src/lib/sampling/pass-rate';

const announcement = (overrides: Partial<Record<string, unknown>>): Announcement =>
  announcementSchema.parse({
    title: '示例公告',
    issuer: '示例市市场监督管理局',
    date: { text: '2024-03-01', iso: '2024-03-01', year: 2024 },
    category: '电线电缆',
    region: '上海市',
    stages: ['生产'],
    batches: { sampled: 20, failed: 2 },
    source: { url: 'https://example.gov.cn/a' },
    firstPublishedAt: '2026-11-21',
    ...overrides,
  });

describe('parseAnnouncementFilter', () => {
  test('reads every filter from the query string', () => {
    const filter = parseAnnouncementFilter(
      new URLSearchParams('category=头盔&year=2020&region=上海市&stage=电商&page=2'),
    );
    expect(filter).toEqual({ category: '头盔', year: 2020, region: '上海市', stage: '电商', page: 2 });
  });

  test('drops unknown or malformed values instead of failing the page', () => {
    const filter = parseAnnouncementFilter(new URLSearchParams('category=不存在&year=abc&stage=批发&page=-3'));
    expect(filter).toEqual({ page: 1 });
  });
});

describe('matchesFilter', () => {
  const cable = announcement({});
  test('matches on category group, year, region and stage together', () => {
    expect(matchesFilter(cable, { category: '电线电缆', year: 2024, region: '上海市', stage: '生产', page: 1 })).toBe(
      true,
    );
    expect(matchesFilter(cable, { category: '头盔', page: 1 })).toBe(false);
    expect(matchesFilter(cable, { year: 2023, page: 1 })).toBe(false);
    expect(matchesFilter(cable, { stage: '电商', page: 1 })).toBe(false);
  });

  test('an announcement without a known year never matches a year filter', () => {
    expect(matchesFilter(announcement({ date: { text: '10月11日' } }), { year: 2024, page: 1 })).toBe(false);
  });
});

test('facets count announcements per option, newest year first, hard hats apart from helmets', () => {
  const facets = announcementFacets([
    announcement({}),
    announcement({ category: '摩托车乘员头盔', date: { text: '2018', year: 2018 }, stages: ['流通', '电商'] }),
    announcement({ category: '安全帽', region: '全国', date: { text: null } }),
  ]);
  expect(facets.categories).toEqual([
    { value: '安全帽', count: 1 },
    { value: '头盔', count: 1 },
    { value: '电线电缆', count: 1 },
  ]);
  expect(facets.years).toEqual([
    { value: 2024, count: 1 },
    { value: 2018, count: 1 },
  ]);
  expect(facets.regions[0]).toEqual({ value: '上海市', count: 2 });
  expect(facets.stages.map((s) => s.value)).toEqual(['生产', '流通', '电商']);
});

test('the announcements list pages with pageOf, which clamps the page and counts pages', () => {
  const items = Array.from({ length: 45 }, (_, i) => i);
  expect(pageOf(items, 3, 20)).toEqual({ items: [40, 41, 42, 43, 44], page: 3, pages: 3, total: 45 });
  expect(pageOf(items, 9, 20).page).toBe(3);
  expect(pageOf([], 1, 20)).toEqual({ items: [], page: 1, pages: 1, total: 0 });
});

test('filterQuery keeps only set values and omits page 1', () => {
  expect(filterQuery({ category: '头盔', page: 1 })).toBe(`?category=${encodeURIComponent('头盔')}`);
  expect(filterQuery({})).toBe('');
  expect(filterQuery({ year: 2020, page: 2 })).toBe('?year=2020&page=2');
});

describe('categoryGroup', () => {
  test.each([
    ['电线电缆（聚氯乙烯绝缘电线电缆）', '电线电缆'],
    ['摩托车、电动自行车乘员头盔', '头盔'],
    ['学生用品（固体胶、修正液、蜡笔、油画棒、橡皮擦、学生书袋）', '学生用品'],
    ['童车等60种产品（西服、大衣、针织内衣、围巾披肩、羽毛球等）', '多类产品综合'],
    ['儿童学生用品（玩具、童车、童鞋、运动头盔）', '多类产品综合'],
    ['开关插座、移动电源', '多类产品综合'],
    ['电动自行车、电动自行车用充电器、电动自行车锂离子电池', '电动自行车及配件'],
    ['带USB接口的电源适配器（插线板）', '插头插座'],
    ['特殊场合服装（cosplay服饰）', '纺织服装及家纺'],
    ['洗地机', '家用电器'],
    ['民用无人驾驶航空器', '其他产品'],
  ])('%s → %s', (category, group) => {
    expect(categoryGroup(category)).toBe(group);
  });
});

describe('passRate', () => {
  test('computes from both counts only', () => {
    expect(passRate(32, 10)).toBeCloseTo(0.6875);
    expect(passRate(null, 10)).toBeNull();
    expect(passRate(20, null)).toBeNull();
    expect(passRate(0, 0)).toBeNull();
    expect(passRate(5, 6)).toBeNull();
  });

  test('formats one decimal, dropping a zero', () => {
    expect(formatPercent(0.6875)).toBe('68.8%');
    expect(formatPercent(0.9)).toBe('90%');
    expect(formatPercent(1)).toBe('100%');
  });
});
