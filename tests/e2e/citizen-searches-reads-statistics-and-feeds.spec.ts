import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { XMLParser } from 'fast-xml-parser';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectNoAxeViolations } from './axe';

interface AnnouncementFile {
  id: string;
  title: string;
  category: string;
  region: string;
  year: number | undefined;
  sampled: number | null;
  failed: number | null;
  example: boolean;
  brands: string[];
}

/** The content files themselves, read directly: the expected numbers are counted here, not by the site's code. */
function announcementFiles(): AnnouncementFile[] {
  const folder = join(import.meta.dirname, '../../content/announcements');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const raw = JSON.parse(readFileSync(join(folder, file), 'utf8'));
      return {
        id: file.replace(/\.json$/, ''),
        title: raw.title,
        category: raw.category,
        region: raw.region,
        year: raw.date?.year,
        sampled: raw.batches.sampled,
        failed: raw.batches.failed,
        example: raw.example ?? false,
        brands: (raw.failedProducts ?? []).map((p: { brand: string | null }) => p.brand).filter(Boolean),
      };
    });
}

test.describe('search', () => {
  test('finds an announcement by the brand of a failed product and opens it', async ({ page }) => {
    const brand = '美创威';
    const expected = announcementFiles().find((a) => a.brands.includes(brand));
    expect(expected, `content has an announcement naming ${brand}`).toBeDefined();

    await page.goto('/search/');
    await page.getByLabel('搜索关键词').fill(brand);
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await expect(page.getByRole('status')).toContainText(/找到 \d+ 条/);
    await expect(page).toHaveURL(/\?q=/);

    await page.getByRole('link', { name: expected!.title }).click();
    await expect(page).toHaveURL(new RegExp(`/announcements/${expected!.id}/$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(expected!.title);
    await expect(page.getByText(brand).first()).toBeVisible();
  });

  test('segments Chinese: a two-character query inside a longer phrase is found, with marked excerpts', async ({
    page,
  }) => {
    await page.goto(`/search/?q=${encodeURIComponent('导体电阻')}`);
    await expect(page.getByLabel('搜索关键词')).toHaveValue('导体电阻');
    await expect(page.getByRole('status')).toContainText(/找到 \d+ 条/);
    await expect(page.locator('#search-results mark').first()).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test('a brand found nowhere is said first, and the other results are labelled related', async ({ page }) => {
    const everything = announcementFiles();
    expect(everything.some((a) => JSON.stringify(a).includes('公牛'))).toBe(false);
    await page.goto(`/search/?q=${encodeURIComponent('公牛插座')}`);
    await expect(page.getByRole('status')).toHaveText(/^没有找到含“公牛”的抽查结果、召回或其他内容。/);
    const related = page.getByRole('region', { name: '与“插座”相关的结果（不含“公牛”）' });
    await expect(related.getByRole('listitem').first()).toBeVisible();
    await expect(page.getByRole('list', { name: '搜索结果' }).getByRole('listitem')).toHaveCount(0);
    await expect(related.getByRole('list')).not.toContainText('公牛');
    await expectNoAxeViolations(page);
  });

  test('a single character of the query matches nothing on its own: 充电宝 is not 宝岛', async ({ page }) => {
    await page.goto(`/search/?q=${encodeURIComponent('充电宝')}`);
    await expect(page.getByRole('status')).toContainText(/找到 \d+ 条含“充电宝”的结果/);
    const titles = await page.locator('#search-results h2').allTextContents();
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.filter((title) => title.includes('宝岛'))).toEqual([]);
    // Excerpts start at a clause, not inside a company name.
    const excerpts = await page.locator('#search-results li > p:last-child').allTextContents();
    for (const excerpt of excerpts) expect(excerpt).not.toMatch(/^…?科技股份有限公司/);
  });

  test('says when nothing matches', async ({ page }) => {
    await page.goto(`/search/?q=${encodeURIComponent('不存在的词语甲乙丙丁')}`);
    await expect(page.getByRole('status')).toContainText('没有找到');
  });

  test('is accessible before a search', async ({ page }) => {
    await page.goto('/search/');
    await expect(page.getByLabel('搜索关键词')).toBeVisible();
    await expectNoAxeViolations(page);
  });
});

test('without JavaScript the search page points to the filters that work', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/search/?q=头盔');
  await expect(page.getByText('搜索功能需要浏览器启用 JavaScript')).toBeVisible();
  await expect(page.getByLabel('搜索关键词')).toBeHidden();
  await page.getByRole('link', { name: '抽查结果公告' }).click();
  await expect(page).toHaveURL(/\/announcements\/$/);
  await context.close();
});

test.describe('statistics', () => {
  const shanghai = announcementFiles().filter(
    (a) => a.region.includes('上海') && !a.example && a.sampled !== null && a.failed !== null,
  );

  test('the Shanghai page shows charts and tables whose numbers match the content files', async ({ page }) => {
    await page.goto('/stats/');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('上海市');

    const categoryTable = page.getByRole('table', { name: '上海市按产品类别的抽查结果' });
    // Each chart is drawn twice, for standard text and for 关怀版; the one showing is the one to count.
    const bars = page.locator('svg.bar-chart:visible rect.bar');
    await expect(bars.first()).toBeVisible();
    await expect(bars).toHaveCount(await categoryTable.locator('tbody tr').count());

    // 电线电缆 and its bracketed variants form one group.
    const wires = shanghai.filter((a) => a.category.startsWith('电线电缆'));
    const wiresSampled = wires.reduce((sum, a) => sum + a.sampled!, 0);
    const wiresFailed = wires.reduce((sum, a) => sum + a.failed!, 0);
    const wiresRow = categoryTable.getByRole('row', { name: /^电线电缆/ });
    await expect(wiresRow.getByRole('cell')).toHaveText([
      String(wires.length),
      wiresSampled.toLocaleString('zh-CN'),
      wiresFailed.toLocaleString('zh-CN'),
      `${(Math.round(((wiresSampled - wiresFailed) / wiresSampled) * 1000) / 10).toString()}%`,
    ]);

    const year = 2012;
    const ofYear = shanghai.filter((a) => a.year === year);
    const sampled = ofYear.reduce((sum, a) => sum + a.sampled!, 0);
    const failed = ofYear.reduce((sum, a) => sum + a.failed!, 0);
    const yearRow = page
      .getByRole('table', { name: '上海市按发布年份的抽查结果' })
      .getByRole('row', { name: new RegExp(`^${year}`) });
    await expect(yearRow.getByRole('cell').nth(0)).toHaveText(String(ofYear.length));
    await expect(yearRow.getByRole('cell').nth(1)).toHaveText(sampled.toLocaleString('zh-CN'));
    await expect(yearRow.getByRole('cell').nth(2)).toHaveText(failed.toLocaleString('zh-CN'));
    await expect(page.locator('svg.column-chart:visible rect.column').first()).toBeVisible();
  });

  test('scopes are separate pages reached by links, and each is accessible', async ({ page }) => {
    await page.goto('/stats/');
    await expectNoAxeViolations(page);
    await page.getByRole('navigation', { name: '统计范围' }).getByRole('link', { name: '全国' }).click();
    await expect(page).toHaveURL(/\/stats\/national\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('全国');
    await expect(page.getByRole('table', { name: '全国按产品类别的抽查结果' })).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test('charts fit a 360 px screen without sideways scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/stats/');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const chartWidth = await page.locator('svg.bar-chart:visible').evaluate((svg) => svg.getBoundingClientRect().width);
    expect(chartWidth).toBeGreaterThan(300);
  });
});

/** Fetches a feed, checks it is well-formed RSS 2.0, and that every item link resolves on this server. */
async function checkFeed(page: Page, request: APIRequestContext, href: string, selfPath: string): Promise<void> {
  const response = await request.get(href);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/rss+xml; charset=utf-8');
  const xml = await response.text();
  // Well-formedness by the browser's own strict XML parser; structure by fast-xml-parser below.
  const parseError = await page.evaluate(
    (text) =>
      new DOMParser().parseFromString(text, 'application/xml').querySelector('parsererror')?.textContent ?? null,
    xml,
  );
  expect(parseError).toBeNull();

  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml);
  expect(parsed.rss['@version']).toBe('2.0');
  const channel = parsed.rss.channel;
  expect(channel.title).toContain('你点我查');
  expect(channel.description).toBeTruthy();
  expect(channel.language).toBe('zh-cn');
  expect(Number.isNaN(Date.parse(channel.lastBuildDate))).toBe(false);
  const site = new URL(channel.link);
  expect(site.protocol).toMatch(/^https?:$/);
  const self = channel['atom:link'];
  expect(self['@rel']).toBe('self');
  expect(new URL(self['@href']).pathname).toBe(selfPath);

  const items = [channel.item ?? []].flat();
  expect(items.length).toBeGreaterThan(0);
  expect(items.length).toBeLessThanOrEqual(50);
  let previous = Infinity;
  for (const item of items) {
    expect(item.title).toBeTruthy();
    expect(item.description).toBeTruthy();
    const link = new URL(item.link); // throws on a relative link
    expect(link.origin).toBe(site.origin);
    expect(item.guid['#text']).toBe(item.link);
    expect(item.guid['@isPermaLink']).toBe('true');
    const published = Date.parse(item.pubDate);
    expect(published).toBeLessThanOrEqual(previous);
    previous = published;
    // The feed's origin is the build's SITE_URL; the path must exist on the server under test.
    expect((await request.get(link.pathname)).status(), link.pathname).toBe(200);
  }
}

test.describe('feeds', () => {
  test('the footer links load valid RSS 2.0 feeds whose links resolve', async ({ page, request }) => {
    await page.goto('/');
    const footer = page.getByRole('contentinfo');
    const announcements = await footer.getByRole('link', { name: '订阅抽查结果（RSS）' }).getAttribute('href');
    const recalls = await footer.getByRole('link', { name: '订阅召回信息（RSS）' }).getAttribute('href');
    await checkFeed(page, request, announcements!, '/rss.xml');
    await checkFeed(page, request, recalls!, '/recalls/rss.xml');
  });
});
