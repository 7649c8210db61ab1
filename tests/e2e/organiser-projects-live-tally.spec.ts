import { expect } from '@playwright/test';
import { test } from './voting-events';
import { ballotReady, openCampaign, pick } from './voting-support';

test('the projector follows ballots cast elsewhere without reloading', async ({ page, browser, eventServer }) => {
  const { url, campaignId, event } = eventServer;
  const campaign = await openCampaign(page.request, url);
  // A precondition, not a skip: a private tally has no projector view to follow.
  expect(campaign.tallyPublic, 'the open campaign publishes its tally').toBe(true);
  const [first] = campaign.candidates;
  if (!first) throw new Error('the open campaign has no candidates');

  await page.goto(`${url}/campaigns/${campaignId}/events/${event.code}/projector/`);
  await expect(page.getByText('实时更新中')).toBeVisible();
  const total = page.getByTestId('projector-total');
  const before = Number(await total.textContent());
  // Marks the document: a reload would lose it.
  await page.evaluate(() => document.body.setAttribute('data-not-reloaded', 'yes'));

  const voter = await browser.newContext();
  const phone = await voter.newPage();
  await phone.goto(`${url}/campaigns/${campaignId}/?e=${event.code}`);
  await ballotReady(phone);
  await pick(phone, [first.name]);
  await phone.getByRole('button', { name: '投票', exact: true }).click();
  await expect(phone.getByRole('heading', { name: '投票成功，谢谢您！' })).toBeVisible();
  await voter.close();

  await expect.poll(async () => Number(await total.textContent()), { timeout: 10_000 }).toBe(before + 1);
  await expect(page.locator('body')).toHaveAttribute('data-not-reloaded', 'yes');
});
