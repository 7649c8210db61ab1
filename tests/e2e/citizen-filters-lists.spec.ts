/**
 * A citizen narrows the announcement and recall lists and pages through them, on a phone, on a desktop and in
 * 关怀版. The expected numbers are counted from the content files here, not by the site's filter code.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoAxeViolations } from './axe';
import { openFilters } from './layout-support';

interface RecallFile {
  product: string;
  year: number | undefined;
}

function contentFiles<T>(kind: string, read: (raw: Record<string, unknown>) => T): T[] {
  const folder = join(import.meta.dirname, '../../content', kind);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .map((file) => read(JSON.parse(readFileSync(join(folder, file), 'utf8'))));
}

const recalls = contentFiles<RecallFile>('recalls', (raw) => ({
  product: raw.product as string,
  year: (raw.date as { year?: number }).year,
}));
const announcementTitles = new Map(
  contentFiles('announcements', (raw) => [raw.title as string, raw.category as string] as const),
);
/** Recalls of power banks, by the product's own words. */
const powerBankRecalls = recalls.filter((r) => /移动电源|充电宝/.test(r.product));
const RECALLS_PER_PAGE = 15;

async function turnOnCare(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: /关怀版/ });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
}

/** Each target at least 44×44 CSS px, as WCAG 2.5.5 and the house rule ask. */
async function expectTapTargets(targets: Locator): Promise<void> {
  const count = await targets.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const box = await targets.nth(i).boundingBox();
    const name = await targets.nth(i).textContent();
    expect(box, `${name} is laid out`).not.toBeNull();
    expect(box!.width, `${name} width`).toBeGreaterThanOrEqual(44);
    expect(box!.height, `${name} height`).toBeGreaterThanOrEqual(44);
  }
}

test.describe('announcement filters do not hide results', () => {
  test('移动电源 lists the national power-bank round-up and Guangdong’s 开关插座和移动电源 notice', async ({
    page,
  }) => {
    const national = '不合格产品130批次 市场监管总局抽查移动电源等11种产品';
    const guangdong = '广东省市场监督管理局关于开关插座和移动电源产品质量监督抽查情况的通告';
    expect(announcementTitles.has(national) && announcementTitles.has(guangdong)).toBe(true);
    await page.goto(`/announcements/?category=${encodeURIComponent('移动电源')}`);
    // Two pages at most hold the power-bank results; both titles are on the first (newest first).
    await expect(page.getByRole('link', { name: national })).toBeVisible();
    await expect(page.getByRole('link', { name: guangdong })).toBeVisible();
  });

  test('the 开关插座和移动电源 notice offers 查看同类 for each of its categories, and each list has it', async ({
    page,
  }) => {
    const guangdong = '广东省市场监督管理局关于开关插座和移动电源产品质量监督抽查情况的通告';
    expect(announcementTitles.get(guangdong)).toBe('开关插座、移动电源');
    await page.goto('/announcements/2023-guang-dong-sheng-kai-guan-cha-zuo-yi/');
    await expect(page.getByRole('heading', { level: 1, name: guangdong })).toBeVisible();
    const similar = page.getByRole('link', { name: /^查看同类/ });
    await expect(similar).toHaveText(['查看同类（插头插座）', '查看同类（移动电源）', '查看同类（多类产品综合）']);
    await expectNoAxeViolations(page);
    for (const group of ['插头插座', '移动电源']) {
      await page.getByRole('link', { name: `查看同类（${group}）` }).click();
      await expect(page).toHaveURL(new RegExp(`[?&]category=${encodeURIComponent(group)}`));
      await expect(page.getByRole('link', { name: guangdong })).toBeVisible();
      await page.goBack();
    }
  });

  test('头盔 lists Changzhou’s helmets and not the hard hats, which have their own option', async ({ page }) => {
    const changzhou = '江苏省常州市电动自行车、充电器、锂离子蓄电池、骑行安全类头盔产品质量监督抽查情况';
    const hardHats = '2018年上海市安全帽产品质量监督抽查结果';
    expect(announcementTitles.get(hardHats)).toBe('安全帽');
    await page.goto(`/announcements/?category=${encodeURIComponent('头盔')}`);
    await expect(page.getByRole('link', { name: changzhou })).toBeVisible();
    await expect(page.getByRole('link', { name: hardHats })).toHaveCount(0);
    await openFilters(page);
    await page.getByLabel('产品类别').selectOption('安全帽');
    await page.getByRole('button', { name: '筛选' }).click();
    await expect(page.getByRole('heading', { name: '符合条件的公告 1 条' })).toBeVisible();
    await expect(page.getByRole('link', { name: hardHats })).toBeVisible();
  });

  test('every year offered with 头盔 chosen gives the count it shows', async ({ page }) => {
    await page.goto(`/announcements/?category=${encodeURIComponent('头盔')}`);
    const options = await page.getByLabel('年份').locator('option').allTextContents();
    const years = options.slice(1).map((text) => /^(\d{4})年（(\d+)）$/.exec(text.trim()));
    expect(years.length).toBeGreaterThan(1);
    for (const match of years) {
      expect(match, 'a year option reads 「2020年（3）」').not.toBeNull();
      expect(Number(match![2])).toBeGreaterThan(0);
    }
    const [, year, count] = years[0]!;
    await openFilters(page);
    await page.getByLabel('年份').selectOption(year!);
    await page.getByRole('button', { name: '筛选' }).click();
    await expect(page.getByRole('heading', { name: `符合条件的公告 ${count} 条` })).toBeVisible();
  });
});

test.describe('the recall list', () => {
  test('pages show where the reader is, and the page numbers are there on page 1', async ({ page }) => {
    const pages = Math.ceil(recalls.length / RECALLS_PER_PAGE);
    expect(pages).toBeGreaterThan(2);
    await page.goto('/recalls/');
    await expect(page.getByRole('heading', { name: `全部召回 ${recalls.length} 条` })).toBeVisible();
    const pagination = page.getByRole('navigation', { name: '召回列表分页' });
    await expect(pagination.getByText(`第 1 页，共 ${pages} 页`)).toBeVisible();
    await expect(pagination.locator('[aria-current="page"]')).toHaveAccessibleName(/^第 ?1 ?页（当前页）$/);
    await expect(page.locator('.card-list > li')).toHaveCount(RECALLS_PER_PAGE);
    await pagination.getByRole('link', { name: '下一页' }).click();
    await expect(page).toHaveURL(/[?&]page=2/);
    await expect(pagination.getByText(`第 2 页，共 ${pages} 页`)).toBeVisible();
    await expect(pagination.locator('[aria-current="page"]')).toHaveAccessibleName(/^第 ?2 ?页（当前页）$/);
    await pagination.getByRole('link', { name: new RegExp(`^第 ?${pages} ?页$`) }).click();
    await expect(page.locator('.card-list > li')).toHaveCount(recalls.length - (pages - 1) * RECALLS_PER_PAGE);
    await expectNoAxeViolations(page);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the filters narrow the list, and the counts follow the choice', async ({ page }) => {
      expect(powerBankRecalls.length).toBeGreaterThan(1);
      await page.goto('/recalls/');
      await openFilters(page);
      await page.getByLabel('产品类别').selectOption('移动电源');
      await page.getByRole('button', { name: '筛选' }).click();
      await expect(page).toHaveURL(/category=/);
      await expect(page.getByRole('heading', { name: `符合条件的召回 ${powerBankRecalls.length} 条` })).toBeVisible();
      const items = page.locator('.card-list > li');
      await expect(items).toHaveCount(powerBankRecalls.length);
      for (const item of await items.all()) await expect(item.getByRole('heading')).toContainText(/移动电源|充电宝/);
      // The year options now count power-bank recalls only.
      const expected = new Map<number, number>();
      for (const r of powerBankRecalls) if (r.year) expected.set(r.year, (expected.get(r.year) ?? 0) + 1);
      const yearOptions = (await page.getByLabel('年份').locator('option').allTextContents()).slice(1);
      expect(yearOptions.map((text) => text.trim()).sort()).toEqual(
        [...expected].map(([year, count]) => `${year}年（${count}）`).sort(),
      );
      await page.getByRole('link', { name: /移除.*类别：移动电源/ }).click();
      await expect(page.getByRole('heading', { name: `全部召回 ${recalls.length} 条` })).toBeVisible();
    });
  });

  test('any query string gives the list, not an error', async ({ request }) => {
    // Long, but within what the server accepts in a request line (larger ones get 431 before any page runs).
    const junk = `?category=${'不'.repeat(1000)}&year=1e99&region=${'x'.repeat(3000)}&page=-1&page=99999999999`;
    const response = await request.get(`/recalls/${junk}`);
    expect(response.status()).toBe(200);
    const html = await response.text();
    // Values out of bounds are dropped: the whole list, on its first page.
    expect(html).toContain(`全部召回 ${recalls.length} 条`);
    expect(html).toContain('第 1 页，共');
    const noneThatYear = await request.get('/recalls/?page=abc&year=2100');
    expect(noneThatYear.status()).toBe(200);
    expect(await noneThatYear.text()).toContain('符合条件的召回 0 条');
  });

  test('a filtered, paged list has no accessibility violations at any width or in 关怀版', async ({ page }) => {
    await page.goto(`/recalls/?category=${encodeURIComponent('玩具')}`);
    await expectNoAxeViolations(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await turnOnCare(page);
    await expectNoAxeViolations(page);
  });
});

test.describe('tap targets of pages and filters', () => {
  for (const care of [false, true]) {
    test(`are at least 44×44 px${care ? ' in 关怀版' : ''}`, async ({ page }) => {
      await page.goto(`/announcements/?category=${encodeURIComponent('头盔')}&page=1`);
      if (care) await turnOnCare(page);
      await expectTapTargets(page.getByRole('link', { name: /^移除/ }));
      await expectTapTargets(page.getByRole('link', { name: '清除全部筛选' }));
      await page.goto('/recalls/?page=2');
      await expectTapTargets(page.getByRole('navigation', { name: '召回列表分页' }).getByRole('link'));
      await page.goto('/announcements/');
      await expectTapTargets(page.getByRole('navigation', { name: '公告列表分页' }).getByRole('link'));
    });
  }
});
