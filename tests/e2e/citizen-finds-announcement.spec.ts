import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoAxeViolations } from './axe';
import { openFilters, openMenu } from './layout-support';

const HELMET_ANNOUNCEMENT = '/announcements/2020-shang-hai-shi-er-tong-yun-dong-tou-kui/';

/** Counted from the content files themselves, not by the site's filter code. */
function announcementsPublishedIn(year: number): number {
  const folder = join(import.meta.dirname, '../../content/announcements');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .filter(
      (file) =>
        (JSON.parse(readFileSync(join(folder, file), 'utf8')) as { date: { year?: number } }).date.year === year,
    ).length;
}

test.describe('finding an announcement', () => {
  test('filters narrow the list and lead to the announcement', async ({ page }) => {
    await page.goto('/announcements/');
    await openFilters(page);
    await page.getByLabel('产品类别').selectOption('头盔');
    await page.getByLabel('地区').selectOption('上海市');
    await page.getByRole('button', { name: '筛选' }).click();
    await expect(page).toHaveURL(/category=%E5%A4%B4%E7%9B%94/);
    await expect(page.getByRole('heading', { name: /符合条件的公告 \d+ 条/ })).toBeVisible();
    await page.getByRole('link', { name: '儿童头盔抽检结果来了！三大问题曝光' }).click();
    await expect(page).toHaveURL(HELMET_ANNOUNCEMENT);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/儿童头盔抽检结果来了/);
  });

  test('removing a filter keeps the others', async ({ page }) => {
    await page.goto('/announcements/?category=%E5%A4%B4%E7%9B%94&stage=%E7%94%B5%E5%95%86');
    await page.getByRole('link', { name: /移除.*类别：头盔/ }).click();
    await expect(page).toHaveURL(/stage=/);
    await expect(page).not.toHaveURL(/category=/);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the filter form still works', async ({ page }) => {
      await page.goto('/announcements/');
      await openFilters(page);
      await page.getByLabel('年份').selectOption('2020');
      await page.getByRole('button', { name: '筛选' }).click();
      await expect(page).toHaveURL(/year=2020/);
      const items = page.locator('.card-list > li');
      // Every announcement of 2020 in the content files, each one dated 2020 on the list.
      await expect(items).toHaveCount(announcementsPublishedIn(2020));
      // The first meta line of a card is its date; the second its batch counts.
      for (const item of await items.all()) await expect(item.locator('.meta').first()).toContainText('2020年');
    });
  });
});

test('a failed item leads to its plain-language explanation', async ({ page }) => {
  await page.goto(HELMET_ANNOUNCEMENT);
  await page.getByRole('link', { name: /佩戴装置强度（强度性能试验中搭扣松脱）/ }).click();
  await expect(page).toHaveURL(/\/explanations\//);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('不合格是什么意思');
  await expect(page.getByRole('heading', { name: '不合格有什么危害' })).toBeVisible();
  await expect(page.getByRole('link', { name: '儿童头盔抽检结果来了！三大问题曝光' })).toBeVisible();
});

test('a content page links to its source in the 信息来源 box', async ({ page }) => {
  await page.goto(HELMET_ANNOUNCEMENT);
  const source = page.getByRole('complementary', { name: '信息来源' }).getByRole('link');
  await expect(source).toHaveAttribute('href', /^https?:\/\//);
});

test('every announcement, explanation and recall page links to the source its content file names', async ({
  request,
}) => {
  const ampersands = (url: string) => url.replaceAll('&', '&amp;');
  const pages = ['announcements', 'explanations', 'recalls'].flatMap((kind) => {
    const folder = join(import.meta.dirname, '../../content', kind);
    return readdirSync(folder)
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({
        path: `/${kind}/${file.replace(/\.json$/, '')}/`,
        sourceUrl: (JSON.parse(readFileSync(join(folder, file), 'utf8')) as { source: { url: string } }).source.url,
      }));
  });
  expect(pages.length).toBeGreaterThan(100);
  for (const { path, sourceUrl } of pages) {
    // Plain HTTP, not a browser per page: the check is the markup, and ~200 page loads would take minutes.
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    const html = await response.text();
    const boxStart = html.indexOf('aria-label="信息来源"');
    expect(boxStart, `${path} has a 信息来源 box`).toBeGreaterThan(-1);
    const sourceBox = html.slice(boxStart, html.indexOf('</aside>', boxStart));
    expect(sourceBox, `${path} names its source`).toContain(`href="${ampersands(sourceUrl)}"`);
  }
});

test('the failed-products table fits a 360 px phone without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(HELMET_ANNOUNCEMENT);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole('rowheader', { name: 'K7儿童头盔' })).toBeVisible();
});

test('关怀版 enlarges the type and is remembered', async ({ page }) => {
  await page.goto('/');
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  const toggle = page.getByRole('button', { name: /关怀版/ });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  expect(after).toBeGreaterThan(before);
  await page.goto('/recalls/');
  await expect(page.locator('html')).toHaveAttribute('data-care', 'on');
  await expect(page.getByRole('button', { name: /关怀版/ })).toHaveAttribute('aria-pressed', 'true');
});

test('the skip link takes keyboard users to the content', async ({ page }) => {
  await page.goto('/recalls/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳转到正文' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});

test('pages carry OpenGraph tags for sharing', async ({ page }) => {
  await page.goto(HELMET_ANNOUNCEMENT);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', /儿童头盔/);
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute('content', /^http.*\/announcements\//);
  await expect(page.locator('meta[property="og:description"]')).toHaveAttribute('content', /抽查32批次/);
});

test('static pages ship no JavaScript beyond the 关怀版 switch', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await page.goto(HELMET_ANNOUNCEMENT);
  expect(scripts.length).toBeLessThanOrEqual(1);
});

const PAGE_TYPES = [
  '/',
  '/announcements/',
  '/announcements/?category=%E5%A4%B4%E7%9B%94',
  HELMET_ANNOUNCEMENT,
  '/explanations/',
  '/explanations/pei-dai-zhuang-zhi-qiang-du-er-tong-yun/',
  '/recalls/',
  '/plan/2024/',
  '/practice/',
];

for (const path of PAGE_TYPES) {
  test(`no accessibility violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await expectNoAxeViolations(page);
  });
}

test('no accessibility violations on a recall page and in 关怀版', async ({ page }) => {
  await page.goto('/recalls/');
  await page.locator('.card-list a').first().click();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: /关怀版/ }).click();
  await expectNoAxeViolations(page);
});

test('the home page shows the open campaign and quick search', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: /你点我查：.*（示例）/ })).toBeVisible();
  await page.getByRole('searchbox', { name: '搜索产品、品牌或企业' }).fill('头盔');
  await page.getByRole('button', { name: '搜索' }).click();
  await expect(page).toHaveURL(/\/search\/\?q=/);
});

test('the plan link leads to the newest year', async ({ page }) => {
  await page.goto('/');
  await openMenu(page);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '抽查计划' }).click();
  // Staff tests may adopt items into a later year on the shared server, so the newest year varies.
  await expect(page).toHaveURL(/\/plan\/\d{4}\/$/);
  const year = new URL(page.url()).pathname.split('/')[2];
  // Named by year and, for a published plan, its district (「2024 年青浦区抽查计划」), never just 「今年」.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(new RegExp(`^${year} ?年.*抽查计划$`));
  expect(Number(year)).toBeGreaterThanOrEqual(2024);
});
