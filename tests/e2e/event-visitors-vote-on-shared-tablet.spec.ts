import { expect } from '@playwright/test';
import { test } from './voting-events';
import { ballotReady, openCampaign, pick } from './voting-support';

test('a shared tablet takes two voters in a row, with the wait in between', async ({ page, eventServer }) => {
  test.setTimeout(60_000);
  const { url, event, kioskPath } = eventServer;
  const campaign = await openCampaign(page.request, url);
  const [first, second] = campaign.candidates;
  if (!first || !second) throw new Error('the open campaign needs two candidates');

  await page.goto(url + kioskPath);
  await expect(page.getByText('现场投票机模式')).toBeVisible();
  await expect(page.getByText(event.name, { exact: true })).toBeVisible();
  await ballotReady(page);

  await pick(page, [first.name]);
  await page.getByRole('button', { name: '投票', exact: true }).click();
  const confirmation = page.getByRole('heading', { name: '投票成功，请交给下一位' });
  await expect(confirmation).toBeVisible();
  await expect(confirmation).toBeFocused();
  const firstBallot = await page.locator('.kiosk-confirmation .meta').textContent();

  // The form is cleared for the next person, and the button waits out the interval.
  await expect(page.getByRole('checkbox', { name: first.name })).not.toBeChecked();
  await expect(page.getByRole('button', { name: /请稍候 \d+ 秒/ })).toBeDisabled();
  await expect(page.getByText(/下一位请等 \d+ 秒后投票/)).toBeVisible();

  await pick(page, [second.name]);
  const vote = page.getByRole('button', { name: '投票', exact: true });
  await expect(vote).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByText('现在可以开始下一次投票了')).toBeVisible();
  await vote.click();
  await expect(page.locator('.kiosk-confirmation .meta')).not.toHaveText(firstBallot ?? '');
  await expect(confirmation).toBeVisible();
  // A kiosk is not one device voting twice: no "already voted" receipt in between.
  await expect(page.getByRole('heading', { name: '你已经投过票了' })).toHaveCount(0);
});
