import { expect, test } from '@playwright/test';
import { openCampaign, pick } from './voting-support';

test.describe('voting without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the plain form records the vote and shows the receipt page', async ({ page, request }) => {
    const campaign = await openCampaign(request);
    const [first] = campaign.candidates;
    if (!first) throw new Error('the open campaign has no candidates');
    await page.goto(`/campaigns/${campaign.id}/`);
    await pick(page, [first.name]);
    await page.getByLabel('产品品种').first().fill('电热毯');
    await page.getByLabel('您担心的质量问题').first().fill('用久了会发烫');
    await page.getByRole('button', { name: '投票', exact: true }).click();

    await expect(page).toHaveURL(new RegExp(`/campaigns/${campaign.id}/receipt/\\?ballot=`));
    await expect(page.getByRole('heading', { name: '投票成功，谢谢您！' })).toBeVisible();
    const ballotId = new URL(page.url()).searchParams.get('ballot');
    await expect(page.locator('.receipt-id')).toHaveText(ballotId ?? '');
  });

  test('too many picks come back with the reason at the top and the error by the list', async ({ page, request }) => {
    const campaign = await openCampaign(request);
    // A precondition, not a skip: without more candidates than picks this test would check nothing.
    expect(
      campaign.candidates.length,
      'the open campaign offers more candidates than a ballot may pick',
    ).toBeGreaterThan(campaign.maxChoices);
    await page.goto(`/campaigns/${campaign.id}/`);
    // Without JavaScript nothing stops the extra tick; the server must.
    const picked = campaign.candidates.slice(0, campaign.maxChoices + 1).map((candidate) => candidate.name);
    await pick(page, picked);
    await page.getByLabel('产品品种').first().fill('保温杯');
    await page.getByRole('button', { name: '投票', exact: true }).click();

    // Answered by the POST itself: nothing the voter typed travels in a URL.
    await expect(page).toHaveURL(new RegExp(`/campaigns/${campaign.id}/vote$`));
    await expect(page).toHaveTitle(/^错误：/);
    const summary = page.locator('.error-summary');
    await expect(summary).toContainText('投票没有成功');
    await expect(summary.getByRole('link')).toHaveAttribute('href', '#choices');
    await expect(page.locator('#choices-error')).toBeVisible();
    // Nothing typed or ticked is lost: the voter only has to untick one.
    for (const name of picked) await expect(page.getByRole('checkbox', { name })).toBeChecked();
    await expect(page.getByLabel('产品品种').first()).toHaveValue('保温杯');
  });
});
