import { expect } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { test } from './voting-events';
import { ballotReady, openCampaign, pick } from './voting-support';

test.describe('voting pages have no axe violations', () => {
  test('campaign list and campaign page, also with an error shown', async ({ page, request }) => {
    const campaign = await openCampaign(request);
    await page.goto('/campaigns/');
    await expectNoAxeViolations(page);
    await page.goto(`/campaigns/${campaign.id}/`);
    await ballotReady(page);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: '投票', exact: true }).click();
    await expect(page.locator('.error-summary')).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test('receipt shown in place, and the results page', async ({ page, request }) => {
    const campaign = await openCampaign(request);
    await page.goto(`/campaigns/${campaign.id}/`);
    await ballotReady(page);
    await pick(page, [campaign.candidates[0]?.name ?? '']);
    await page.getByRole('button', { name: '投票', exact: true }).click();
    await expect(page.getByRole('heading', { name: '投票成功，谢谢您！' })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.goto(`/campaigns/${campaign.id}/results/`);
    await expectNoAxeViolations(page);
  });

  test('receipt page of the no-JavaScript path', async ({ page, request }) => {
    const campaign = await openCampaign(request);
    await page.goto(`/campaigns/${campaign.id}/receipt/?ballot=example-ballot-id`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('投票回执');
    await expectNoAxeViolations(page);
  });

  test('event page, poster, projector and kiosk', async ({ page, eventServer }) => {
    const { url, campaignId, event, kioskPath } = eventServer;
    await page.goto(`${url}/campaigns/${campaignId}/?e=${event.code}`);
    await expect(page.getByRole('heading', { name: /进校园活动/ })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.goto(`${url}/campaigns/${campaignId}/events/${event.code}/poster/`);
    await expect(page.getByRole('img', { name: /二维码/ })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.goto(`${url}/campaigns/${campaignId}/events/${event.code}/projector/`);
    await expect(page.getByText('实时更新中')).toBeVisible();
    await expectNoAxeViolations(page);
    await page.goto(url + kioskPath);
    await ballotReady(page);
    await expectNoAxeViolations(page);
  });
});
