import { expect, test } from '@playwright/test';
import { ballotReady, openCampaign, pick } from './voting-support';

test.describe('voting with JavaScript', () => {
  test('pick, write in, vote and see the receipt and tally in place', async ({ page, request }) => {
    const campaign = await openCampaign(request);
    const [first, second] = campaign.candidates;
    if (!first || !second) throw new Error('the open campaign needs two candidates');

    await page.goto(`/campaigns/${campaign.id}/`);
    await expect(page.getByText(`已选 0/${campaign.maxChoices}`)).toBeVisible();
    await pick(page, [first.name, second.name]);
    await expect(page.getByText(`已选 2/${campaign.maxChoices}`)).toBeVisible();

    await page.getByLabel('产品品种').first().fill('学生文具');
    await page.getByLabel('您担心的质量问题').first().fill('橡皮有刺鼻气味');
    await page.getByRole('button', { name: '投票', exact: true }).click();

    const receiptHeading = page.getByRole('heading', { name: '投票成功，谢谢您！' });
    await expect(receiptHeading).toBeVisible();
    await expect(receiptHeading).toBeFocused();
    await expect(page.locator('.receipt-id')).toHaveText(/\S{4,}/);
    await expect(page).toHaveURL(new RegExp(`/campaigns/${campaign.id}/$`));
    if (campaign.tallyPublic) {
      await expect(page.getByRole('table').getByRole('rowheader', { name: first.name })).toBeVisible();
    }
  });

  test('in WeChat, where printing is impossible, the receipt offers copying but not printing', async ({
    browser,
    request,
  }) => {
    const campaign = await openCampaign(request);
    const [first] = campaign.candidates;
    if (!first) throw new Error('the open campaign has no candidates');
    const context = await browser.newContext({
      userAgent:
        'Mozilla/5.0 (Linux; Android 13; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 MicroMessenger/8.0.47',
    });
    const page = await context.newPage();
    await page.goto(`/campaigns/${campaign.id}/`);
    await ballotReady(page);
    await pick(page, [first.name]);
    await page.getByRole('button', { name: '投票', exact: true }).click();
    await expect(page.getByRole('button', { name: '复制编号' })).toBeVisible();
    await expect(page.getByRole('button', { name: '打印回执' })).toHaveCount(0);
    await context.close();
  });

  test('boxes beyond the limit are disabled, with the reason next to them', async ({ page, request }) => {
    const campaign = await openCampaign(request);
    // A precondition, not a skip: without more candidates than picks this test would check nothing.
    expect(
      campaign.candidates.length,
      'the open campaign offers more candidates than a ballot may pick',
    ).toBeGreaterThan(campaign.maxChoices);
    await page.goto(`/campaigns/${campaign.id}/`);
    await ballotReady(page);
    await pick(
      page,
      campaign.candidates.slice(0, campaign.maxChoices).map((candidate) => candidate.name),
    );
    const spare = campaign.candidates[campaign.maxChoices];
    if (!spare) throw new Error('unreachable');
    await expect(page.getByRole('checkbox', { name: spare.name })).toBeDisabled();
    await expect(page.getByText('已经选满了')).toBeVisible();
    await page.getByRole('checkbox', { name: campaign.candidates[0]?.name ?? '' }).uncheck();
    await expect(page.getByRole('checkbox', { name: spare.name })).toBeEnabled();
  });

  test('a browser that has voted sees its first receipt on reopening the ballot, not a blank form', async ({
    page,
    request,
  }) => {
    const campaign = await openCampaign(request);
    const [first] = campaign.candidates;
    if (!first) throw new Error('the open campaign has no candidates');
    await page.goto(`/campaigns/${campaign.id}/`);
    await ballotReady(page);
    await pick(page, [first.name]);
    await page.getByRole('button', { name: '投票', exact: true }).click();
    await expect(page.getByRole('heading', { name: '投票成功，谢谢您！' })).toBeVisible();
    const firstBallotId = await page.locator('.receipt-id').textContent();

    await page.goto(`/campaigns/${campaign.id}/`);
    await expect(page.getByRole('heading', { name: '你已经投过票了' })).toBeVisible();
    await expect(page.locator('.receipt-id')).toHaveText(firstBallotId ?? '');
    await expect(page.locator('.receipt-choices')).toContainText(first.name);
    await expect(page.getByRole('button', { name: '投票', exact: true })).toHaveCount(0);
  });

  test('a refused ballot keeps what was typed and says how to fix it', async ({ page, request }) => {
    const campaign = await openCampaign(request);
    await page.goto(`/campaigns/${campaign.id}/`);
    await ballotReady(page);
    // A write-in with a product but no problem described is refused by the server.
    await page.getByLabel('产品品种').first().fill('儿童雨衣');
    await page.getByRole('button', { name: '投票', exact: true }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toContainText('投票没有成功');
    await expect(summary).toBeFocused();
    await expect(page.getByLabel('产品品种').first()).toHaveValue('儿童雨衣');
  });
});
