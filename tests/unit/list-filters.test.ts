/**
 * The announcement and recall filters on the real sample content: an announcement covering several
 * products is found under each of them, hard hats are not helmets, and every option count is what
 * picking the option lists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { announcementSchema, recallSchema, type Announcement, type Recall } from '../../src/lib/content-schemas';
import {
  announcementFacets,
  matchesFilter,
  parseAnnouncementFilter,
  similarAnnouncementsQueries,
  type AnnouncementFilter,
} from '../../src/lib/sampling/announcement-filter';
import { categoryGroup, categoryGroupsOf, recallCategoryGroups } from '../../src/lib/sampling/category-groups';
import { activeFilterChips } from '../../src/lib/sampling/facets';
import {
  matchesRecallFilter,
  parseRecallFilter,
  recallFacets,
  recallFilterQuery,
  recallRegion,
  UNKNOWN_REGION,
  type RecallFilter,
} from '../../src/lib/sampling/recall-filter';
import { scopeStats } from '../../src/lib/sampling/stats';

function load<T>(kind: string, parse: (raw: unknown) => T): Map<string, T> {
  const folder = join(import.meta.dirname, '../../content', kind);
  return new Map(
    readdirSync(folder)
      .filter((file) => file.endsWith('.json'))
      .map((file) => [file.replace(/\.json$/, ''), parse(JSON.parse(readFileSync(join(folder, file), 'utf8')))]),
  );
}

const announcements = load<Announcement>('announcements', (raw) => announcementSchema.parse(raw));
const recalls = load<Recall>('recalls', (raw) => recallSchema.parse(raw));

function announcement(id: string): Announcement {
  const found = announcements.get(id);
  if (!found) throw new Error(`sample content has no announcement ${id}`);
  return found;
}

const listed = (filter: Partial<AnnouncementFilter>) =>
  [...announcements].filter(([, a]) => matchesFilter(a, filter)).map(([id]) => id);

describe('an announcement covering several products belongs to each of their categories', () => {
  test.each([
    ['2025-quan-guo-yi-dong-dian-yuan-jia-fei-lin', '移动电源'],
    ['2023-guang-dong-sheng-kai-guan-cha-zuo-yi', '移动电源'],
    ['2023-guang-dong-sheng-kai-guan-cha-zuo-yi', '插头插座'],
    ['2024-jiang-su-sheng-chang-zhou-shi-dian', '头盔'],
    ['2024-jiang-su-sheng-chang-zhou-shi-dian', '电动自行车及配件'],
    ['2021-quan-guo-er-tong-xue-sheng-yong-pin', '头盔'],
  ])('%s is listed under %s', (id, group) => {
    expect(announcement(id).title.length).toBeGreaterThan(0);
    expect(listed({ category: group as AnnouncementFilter['category'] })).toContain(id);
  });

  test('its page offers one 「查看同类」 list per category, and each lists the announcement', () => {
    const notice = announcement('2023-guang-dong-sheng-kai-guan-cha-zuo-yi');
    const links = similarAnnouncementsQueries(notice);
    expect(links.map((link) => link.group)).toEqual(['插头插座', '移动电源', '多类产品综合']);
    for (const { group, query } of links) {
      const filter = parseAnnouncementFilter(new URLSearchParams(query));
      expect(filter.category).toBe(group);
      expect(matchesFilter(notice, filter)).toBe(true);
    }
    expect(similarAnnouncementsQueries(announcement('2018-an-hui-sheng-yi-dong-dian-yuan'))).toEqual([
      { group: '移动电源', query: `?category=${encodeURIComponent('移动电源')}` },
    ]);
  });

  test('a round-up is also listed under 多类产品综合, a one-product announcement only under its product', () => {
    expect(categoryGroupsOf(announcement('2023-guang-dong-sheng-kai-guan-cha-zuo-yi'))).toEqual([
      '插头插座',
      '移动电源',
      '多类产品综合',
    ]);
    expect(categoryGroupsOf(announcement('2018-an-hui-sheng-yi-dong-dian-yuan'))).toEqual(['移动电源']);
    expect(categoryGroupsOf(announcement('2023-quan-guo-118-zhong-chan-pin'))).toEqual(['多类产品综合']);
  });

  test('single characters of a headline name no product: 「电吹风被召回」 is not bedding', () => {
    const dryer = announcement('2007-shang-hai-shi-pi-fu-ji-mao-fa-hu-li-qi');
    expect(dryer.title).toContain('被召回');
    expect(categoryGroupsOf(dryer)).toEqual(['家用电器']);
  });

  test('helmets for e-bike riders are helmets, not e-bike parts', () => {
    expect(categoryGroupsOf(announcement('2023-guang-dong-sheng-guang-zhou-shi-dian'))).toEqual(['头盔']);
  });
});

describe('hard hats are not helmets', () => {
  const hardHats = '2018-shang-hai-shi-an-quan-mao';

  test('in the filters', () => {
    expect(announcement(hardHats).category).toBe('安全帽');
    expect(listed({ category: '头盔' })).not.toContain(hardHats);
    expect(listed({ category: '安全帽' })).toEqual([hardHats]);
    expect(listed({ category: '头盔' })).toContain('2020-shang-hai-shi-er-tong-yun-dong-tou-kui');
  });

  test('in the statistics', () => {
    const records = [...announcements].map(([id, data]) => ({ id, data }));
    const shanghai = scopeStats(records, 'shanghai');
    const hats = shanghai.byCategory.find((row) => row.group === '安全帽');
    const helmets = shanghai.byCategory.find((row) => row.group === '头盔');
    expect(hats?.wordings).toEqual(['安全帽']);
    expect(helmets?.wordings).not.toContain('安全帽');
    expect(categoryGroup('安全帽')).toBe('安全帽');
  });
});

describe('option counts follow the current selection', () => {
  const filters: Partial<AnnouncementFilter>[] = [
    {},
    { category: '头盔' },
    { category: '移动电源', region: '全国' },
    { year: 2005 },
    { category: '头盔', stage: '电商' },
    { region: '上海市', year: 2025 },
  ];

  test.each(filters)('every option offered with %o lists exactly its count', (filter) => {
    const all = [...announcements.values()];
    const facets = announcementFacets(all, filter);
    const check = <K extends keyof AnnouncementFacets>(key: K, facet: keyof AnnouncementFilter) => {
      for (const option of facets[key]) {
        const picked = { ...filter, [facet]: option.value };
        expect(all.filter((a) => matchesFilter(a, picked)).length, `${String(facet)}=${option.value}`).toBe(
          option.count,
        );
        if (filter[facet] !== option.value) expect(option.count).toBeGreaterThan(0);
      }
    };
    check('categories', 'category');
    check('years', 'year');
    check('regions', 'region');
    check('stages', 'stage');
  });

  test('a year of the helmet list is offered only when it has a helmet announcement', () => {
    const facets = announcementFacets([...announcements.values()], { category: '头盔' });
    expect(facets.years.map((y) => y.value)).not.toContain(2005);
    expect(announcementFacets([...announcements.values()]).years.map((y) => y.value)).toContain(2005);
  });

  test('a chosen option that lists nothing stays offered, with 0, so it can be seen and removed', () => {
    const facets = announcementFacets([...announcements.values()], { category: '安全帽', year: 2005 });
    expect(facets.years.find((y) => y.value === 2005)).toEqual({ value: 2005, count: 0 });
  });
});

type AnnouncementFacets = ReturnType<typeof announcementFacets>;

describe('recall filters', () => {
  const all = [...recalls.values()];

  test('regions group by province, and a recall without one is 未注明地区', () => {
    expect(recallRegion('广东省汕头市')).toBe('广东省');
    expect(recallRegion('广西壮族自治区桂林市')).toBe('广西壮族自治区');
    expect(recallRegion('上海市（进口，原产中国台湾）')).toBe('上海市');
    expect(recallRegion('进口（原产国韩国）')).toBe('进口');
    expect(recallRegion('全国（广东、湖南、北京等）')).toBe('全国');
    expect(recallRegion('河北省平乡县')).toBe('河北省');
    expect(recallRegion(null)).toBe(UNKNOWN_REGION);
  });

  test('products are grouped by their own wording, not the company in the title', () => {
    const battery = all.find((r) => r.product.startsWith('进口FZ-G1'));
    expect(battery?.title).toContain('松下电器');
    expect(recallCategoryGroups(battery!)).toEqual(['其他产品']);
    const masks = all.filter((r) => r.product.includes('口罩'));
    expect(masks.length).toBeGreaterThan(0);
    for (const mask of masks) expect(recallCategoryGroups(mask)).not.toContain('食品相关产品');
    const powerBanks = all.filter((r) => matchesRecallFilter(r, { category: '移动电源' }));
    expect(powerBanks.map((r) => r.company)).toContain('深圳罗马仕科技有限公司');
    for (const recall of powerBanks) expect(recall.product).toMatch(/移动电源|充电宝/);
  });

  test.each<Partial<RecallFilter>>([
    {},
    { category: '玩具' },
    { region: '广东省' },
    { year: 2024, category: '电动自行车及配件' },
  ])('every recall option offered with %o lists exactly its count', (filter) => {
    const facets = recallFacets(all, filter);
    const pairs = [
      ['category', facets.categories],
      ['year', facets.years],
      ['region', facets.regions],
    ] as const;
    for (const [key, options] of pairs) {
      expect(options.length).toBeGreaterThan(0);
      for (const option of options) {
        const count = all.filter((r) => matchesRecallFilter(r, { ...filter, [key]: option.value })).length;
        expect(count, `${key}=${option.value}`).toBe(option.count);
      }
    }
  });

  test('every recall is under exactly one category and one region', () => {
    const facets = recallFacets(all);
    expect(facets.categories.reduce((sum, o) => sum + o.count, 0)).toBe(all.length);
    expect(facets.regions.reduce((sum, o) => sum + o.count, 0)).toBe(all.length);
  });

  test('the query string is read with bounds, unknown values dropped', () => {
    expect(parseRecallFilter(new URLSearchParams('category=玩具&year=2024&region=广东省&page=2'))).toEqual({
      category: '玩具',
      year: 2024,
      region: '广东省',
      page: 2,
    });
    expect(
      parseRecallFilter(new URLSearchParams(`category=不存在&year=1e9&region=${'长'.repeat(500)}&page=99999999999`)),
    ).toEqual({ category: undefined, year: undefined, region: undefined, page: 1 });
    expect(recallFilterQuery({ category: '玩具', page: 1 })).toBe(`?category=${encodeURIComponent('玩具')}`);
    expect(recallFilterQuery({ region: '进口', page: 3 })).toBe(`?region=${encodeURIComponent('进口')}&page=3`);
  });
});

describe('the chosen filters as removable chips', () => {
  test('each chosen facet reads in its own words and links to the list without it; unchosen ones are left out', () => {
    const filter = { category: '头盔', year: 2019, region: undefined, stage: '生产' };
    const chips = activeFilterChips(filter, ['category', 'year', 'region', 'stage'], (key) => `/list?without=${key}`);
    expect(chips).toEqual([
      { label: '类别：头盔', href: '/list?without=category' },
      { label: '年份：2019年', href: '/list?without=year' },
      { label: '环节：生产', href: '/list?without=stage' },
    ]);
  });
});
