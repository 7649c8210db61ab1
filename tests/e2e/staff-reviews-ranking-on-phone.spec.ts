/**
 * A staff member decides on nominations from a phone: the ranking's 去向 column, with its reason
 * field and save button, is on the screen rather than scrolled off to the right.
 */
import { expect, test } from '@playwright/test';
import { CAMPAIGN, logIn } from './admin-support';
import { expectNoAxeViolations } from './axe';

test('the ranking fits a 360 px phone, 去向 column and save buttons included', async ({ page }, testInfo) => {
  // eslint-disable-next-line no-restricted-properties -- a phone layout: the desktop table has room.
  test.skip(testInfo.project.name !== 'phone', 'phone viewport only');
  await logIn(page, undefined, undefined, `/admin/campaigns/${CAMPAIGN}/`);
  await page.goto(`/admin/campaigns/${CAMPAIGN}/`);
  const ranking = page.getByRole('table', { name: '点题排名与去向' });
  const destination = await ranking.getByRole('columnheader', { name: '去向' }).boundingBox();
  expect(destination!.x + destination!.width).toBeLessThanOrEqual(360);
  const saveButtons = ranking.getByRole('button', { name: /^保存/ });
  expect(await saveButtons.count()).toBeGreaterThan(0);
  for (const button of await saveButtons.all()) {
    const box = await button.boundingBox();
    expect(box!.x + box!.width, (await button.textContent()) ?? '').toBeLessThanOrEqual(360);
  }
  // Product names keep whole words: at least four characters a line.
  for (const name of await ranking.locator('tbody th[scope="row"]').all()) {
    const width = (await name.boundingBox())!.width;
    const em = await name.evaluate((cell) => parseFloat(getComputedStyle(cell).fontSize));
    expect(width).toBeGreaterThanOrEqual(em * 4);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(360);
  await expectNoAxeViolations(page);
});
