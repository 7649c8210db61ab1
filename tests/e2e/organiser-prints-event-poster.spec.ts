/**
 * An organiser prints the poster of a school event: it names the bureau behind it and the deadline,
 * gives a short address that leads to the event's ballot, and prints on one A4 sheet, filled.
 */
import { expect } from '@playwright/test';
import { siteConfig } from '../../src/config/site';
import { expectNoAxeViolations } from './axe';
import { test } from './voting-events';

const A4_PRINTABLE_MM = { width: 210 - 2 * 12, height: 297 - 2 * 12 };
const PX_PER_MM = 96 / 25.4;

test('the poster names the bureau and the deadline and gives a short address', async ({ page, eventServer }) => {
  const { url, campaignId, event } = eventServer;
  await page.goto(`${url}/campaigns/${campaignId}/events/${event.code}/poster/`);
  const poster = page.locator('article.poster');
  await expect(poster).toContainText(`主办单位：${siteConfig.host}`);
  await expect(poster.getByRole('definition').last()).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  await expect(poster.getByRole('term').last()).toHaveText('投票截止');
  const shortUrl = `${url}/e/${event.code}`;
  await expect(poster.locator('.poster-url-text')).toHaveText(shortUrl);
  await expect(page.getByRole('img', { name: `二维码，扫码打开 ${shortUrl}` })).toBeVisible();
  await expectNoAxeViolations(page);

  // Typed in lower case, as people do from a wall.
  await page.goto(`${url}/e/${event.code.toLowerCase()}`);
  await expect(page).toHaveURL(`${url}/campaigns/${campaignId}/?e=${event.code}`);
  expect((await page.request.get(`${url}/e/NOSUCH`, { maxRedirects: 0 })).status()).toBe(404);
});

test('the poster prints on one A4 sheet and fills it', async ({ page, eventServer }, testInfo) => {
  // eslint-disable-next-line no-restricted-properties -- printing does not depend on the screen: once is enough.
  test.skip(testInfo.project.name !== 'desktop', 'print layout, checked once');
  const { url, campaignId, event } = eventServer;
  await page.setViewportSize({
    width: Math.round(A4_PRINTABLE_MM.width * PX_PER_MM),
    height: Math.round(A4_PRINTABLE_MM.height * PX_PER_MM),
  });
  await page.goto(`${url}/campaigns/${campaignId}/events/${event.code}/poster/`);
  await page.emulateMedia({ media: 'print' });
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  expect(pdf.match(/\/Type\s*\/Page\b(?!s)/g)).toHaveLength(1);

  const layout = await page.evaluate(() => {
    const poster = document.querySelector('article.poster')!.getBoundingClientRect();
    const blocks = [...document.querySelectorAll('article.poster > *')].map((block) => block.getBoundingClientRect());
    return { height: poster.height, top: poster.top, lastBottom: Math.max(...blocks.map((block) => block.bottom)) };
  });
  const printable = A4_PRINTABLE_MM.height * PX_PER_MM;
  // The poster is the printable height, and its last block ends in the last tenth of it.
  expect(layout.height).toBeLessThanOrEqual(printable);
  expect(layout.height).toBeGreaterThanOrEqual(printable * 0.95);
  expect(layout.lastBottom - layout.top).toBeGreaterThanOrEqual(layout.height * 0.9);
});
