/**
 * A citizen on a 360 × 800 phone, with and without 关怀版 (the large-text mode): the page starts on
 * the first screen, nothing widens the page sideways, and tables and charts stay readable. Boxes
 * are measured, not pixels compared.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { openFilters, openMenu } from './layout-support';

const PHONE = { width: 360, height: 800 };
const MODES = ['standard', '关怀版'] as const;
type Mode = (typeof MODES)[number];

/** A phone page in the given mode; 关怀版 is switched on the way a visitor's earlier choice is remembered. */
async function phonePage(browser: Browser, mode: Mode, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    javaScriptEnabled,
    locale: 'zh-CN',
  });
  if (mode === '关怀版') await context.addInitScript(() => localStorage.setItem('care-mode', 'on'));
  return context.newPage();
}

async function expectMode(page: Page, mode: Mode): Promise<void> {
  if (mode === '关怀版') await expect(page.locator('html')).toHaveAttribute('data-care', 'on');
  else await expect(page.locator('html')).not.toHaveAttribute('data-care', 'on');
}

test.describe('on a 360 px phone', () => {
  test.beforeEach(({}, testInfo) => {
    // eslint-disable-next-line no-restricted-properties -- every test here opens its own 360 px contexts; once is enough.
    test.skip(testInfo.project.name !== 'phone', 'phone contexts made by the test itself');
  });

  for (const mode of MODES) {
    test(`the header is one short bar and the first announcement is on the first screen (${mode})`, async ({
      browser,
    }) => {
      const page = await phonePage(browser, mode);
      await page.goto('/announcements/');
      await expectMode(page, mode);
      const header = await page.locator('.site-header').boundingBox();
      expect(header!.height, 'header height').toBeLessThanOrEqual(PHONE.height * 0.12);
      const firstResult = await page.locator('main .card-list > li').first().boundingBox();
      expect(firstResult!.y, 'top of the first result').toBeLessThan(PHONE.height - 60);
      // The filters are one tap away, and say how many are set once some are.
      await openFilters(page);
      await page.getByLabel('年份').selectOption('2020');
      await page.getByRole('button', { name: '筛选', exact: true }).click();
      await expect(page.locator('summary', { hasText: '筛选' })).toContainText('已选 1 项');
      await expectNoAxeViolations(page);
      await page.context().close();
    });
  }

  test('the menu opens without JavaScript and does not repeat the brand', async ({ browser }) => {
    const page = await phonePage(browser, 'standard', false);
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: '主导航' });
    await expect(nav.getByRole('link', { name: '抽查计划' })).toBeHidden();
    await openMenu(page);
    await expect(nav.getByRole('link', { name: '你点我查' })).toHaveCount(0);
    await nav.getByRole('link', { name: '抽查计划' }).click();
    await expect(page).toHaveURL(/\/plan\//);
    await page.context().close();
  });

  test('the open menu passes axe in 关怀版', async ({ browser }) => {
    const page = await phonePage(browser, '关怀版');
    await page.goto('/');
    await openMenu(page);
    await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '召回' })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  // One page of every public kind, and those whose text once widened the page: the practice reports
  // (URLs in source notes) and a recall of model numbers joined by slashes.
  const PAGE_TYPES = [
    '/',
    '/announcements/',
    '/announcements/2020-shang-hai-shi-er-tong-yun-dong-tou-kui/',
    '/explanations/',
    '/explanations/pei-dai-zhuang-zhi-qiang-du-er-tong-yun/',
    '/recalls/',
    '/recalls/nd-shang-hai-shen-wei-yun-dong-pin-you-xian/',
    '/plan/2024/',
    '/stats/',
    '/stats/national/',
    '/practice/',
    '/search/?q=%E5%A4%B4%E7%9B%94',
    '/assistant/',
    '/campaigns/',
    '/campaigns/2027-ni-dian-wo-cha/',
    '/campaigns/2027-ni-dian-wo-cha/results/',
    '/campaigns/2025-ni-dian-wo-cha/outcome/',
    '/no-such-page/',
  ];
  for (const mode of MODES) {
    test(`no public page scrolls sideways (${mode})`, async ({ browser }) => {
      test.setTimeout(60_000);
      const page = await phonePage(browser, mode);
      const widths: Record<string, number> = {};
      for (const path of PAGE_TYPES) {
        await page.goto(path);
        widths[path] = await page.evaluate(() => document.documentElement.scrollWidth);
      }
      await expectMode(page, mode);
      expect(widths).toEqual(Object.fromEntries(PAGE_TYPES.map((path) => [path, PHONE.width])));
      await page.context().close();
    });

    test(`the plan table leaves room for the product names (${mode})`, async ({ browser }) => {
      const page = await phonePage(browser, mode);
      await page.goto('/plan/2024/');
      await expectMode(page, mode);
      const table = page.getByRole('table', { name: /2024年青浦区产品质量监督抽查计划/ });
      const rows = await table.locator('tbody th[scope="row"]').evaluateAll((cells) =>
        cells.map((cell) => ({
          text: cell.textContent?.trim() ?? '',
          width: cell.getBoundingClientRect().width,
          em: parseFloat(getComputedStyle(cell).fontSize),
        })),
      );
      expect(rows.length).toBeGreaterThan(10);
      // At least five characters a line for every product name (they were two).
      for (const row of rows) expect(row.width, row.text).toBeGreaterThanOrEqual(row.em * 5);
      // Column headings on one line each (「方式」 was stacked one character a line).
      const headings = await table.locator('thead th').evaluateAll((cells) =>
        cells
          .filter((cell) => cell.getBoundingClientRect().width > 0)
          .map((cell) => ({
            text: cell.textContent?.trim() ?? '',
            lines: Math.round(
              (cell.getBoundingClientRect().height - 16) / parseFloat(getComputedStyle(cell).lineHeight),
            ),
          })),
      );
      expect(headings.map((h) => h.text)).toContain('实施季度');
      for (const heading of headings) expect(heading.lines, heading.text).toBe(1);
      await expect(table.getByRole('row', { name: /电动自行车及配件产品/ })).toContainText('第1、3季度');
      await expectNoAxeViolations(page);
      await page.context().close();
    });

    test(`statistics tables show every column and their caption (${mode})`, async ({ browser }) => {
      const page = await phonePage(browser, mode);
      await page.goto('/stats/');
      await expectMode(page, mode);
      const tables = page.locator('table.stats-table');
      expect(await tables.count()).toBe(3);
      for (const table of await tables.all()) {
        const rateHeading = await table.getByRole('columnheader', { name: '合格率' }).boundingBox();
        const caption = await table.locator('caption').boundingBox();
        expect(rateHeading!.x + rateHeading!.width, '合格率 column').toBeLessThanOrEqual(PHONE.width);
        expect(caption!.x + caption!.width, 'caption').toBeLessThanOrEqual(PHONE.width);
      }
      await expectNoAxeViolations(page);
      await page.context().close();
    });
  }

  test('chart lettering grows in 关怀版 like the text around it', async ({ browser }) => {
    const letterSize = async (mode: Mode) => {
      const page = await phonePage(browser, mode);
      await page.goto('/stats/');
      await expectMode(page, mode);
      // The type size as drawn: the font size in the SVG's units times the SVG's scale on screen.
      const drawnSize = (chart: string) =>
        page.locator(`svg.${chart}:visible`).evaluate((svg) => {
          const tick = svg.querySelector('text.tick')!;
          const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
          return parseFloat(getComputedStyle(tick).fontSize) * scale;
        });
      const heights = { bars: await drawnSize('bar-chart'), columns: await drawnSize('column-chart') };
      await page.context().close();
      return heights;
    };
    const standard = await letterSize('standard');
    const care = await letterSize('关怀版');
    expect(care.bars).toBeGreaterThanOrEqual(standard.bars * 1.2);
    expect(care.columns).toBeGreaterThanOrEqual(standard.columns * 1.2);
  });
});

test('at 1280 px the menu links sit in the header bar', async ({ page }, testInfo) => {
  // eslint-disable-next-line no-restricted-properties -- a wide-screen layout: the phone project has its own tests above.
  test.skip(testInfo.project.name !== 'desktop', 'desktop viewport only');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/announcements/');
  await expect(page.locator('summary', { hasText: '菜单' })).toBeHidden();
  await expect(page.locator('summary', { hasText: '筛选' })).toBeHidden();
  await expect(page.getByLabel('产品类别')).toBeVisible();
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expect(nav.getByRole('link', { name: '统计' })).toBeVisible();
  const header = await page.locator('.site-header').boundingBox();
  expect(header!.height).toBeLessThanOrEqual(100);
  await expectNoAxeViolations(page);
});
