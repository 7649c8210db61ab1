import { expect } from '@playwright/test';
import { test } from './voting-events';
import { expectNoAxeViolations } from './axe';
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

test('the projector of an event counts the hall, with the whole campaign small beside it', async ({
  page,
  browser,
  eventServer,
}) => {
  const { url, campaignId, event } = eventServer;
  const campaign = await openCampaign(page.request, url);
  expect(campaign.tallyPublic, 'the open campaign publishes its tally').toBe(true);
  const [first, second] = campaign.candidates;
  if (!first || !second) throw new Error('the open campaign has fewer than two candidates');
  const projector = `${url}/campaigns/${campaignId}/events/${event.code}/projector/`;
  const counts = async () => {
    await page.goto(projector);
    const bar = page.locator('.tally-projector table tbody tr', { hasText: second.name });
    return {
      hall: Number(await page.getByTestId('projector-total').textContent()),
      campaign: Number(await page.getByTestId('projector-campaign-total').textContent()),
      secondVotes: Number(await bar.locator('td').first().textContent()),
    };
  };
  const before = await counts();

  const vote = async (query: string, name: string) => {
    const voter = await browser.newContext();
    const phone = await voter.newPage();
    await phone.goto(`${url}/campaigns/${campaignId}/${query}`);
    await ballotReady(phone);
    await pick(phone, [name]);
    await phone.getByRole('button', { name: '投票', exact: true }).click();
    await expect(phone.getByRole('heading', { name: '投票成功，谢谢您！' })).toBeVisible();
    await voter.close();
  };
  // One ballot in the hall, one online for the second candidate: only the first reaches the hall's count.
  await vote(`?e=${event.code}`, first.name);
  await vote('', second.name);

  const after = await counts();
  expect(after).toEqual({ hall: before.hall + 1, campaign: before.campaign + 2, secondVotes: before.secondVotes });
});

test('the projector reads from the back of a hall at 1920×1080 and fits 1024×768', async ({ page, eventServer }) => {
  const { url, campaignId, event } = eventServer;
  const projector = `${url}/campaigns/${campaignId}/events/${event.code}/projector/`;

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(projector);
  await expect(page.getByText('实时更新中')).toBeVisible();
  // Candidate names at 3.6 % of the screen's height (39 px here), the QR code a third of it.
  const nameSize = await page
    .locator('.tally-chart .tally-name')
    .first()
    .evaluate((name) => parseFloat(getComputedStyle(name).fontSize));
  expect(nameSize).toBeGreaterThanOrEqual(36);
  const qr = await page.getByRole('img', { name: /二维码/ }).boundingBox();
  expect(qr!.width).toBeGreaterThanOrEqual(1080 * 0.3);

  await page.setViewportSize({ width: 1024, height: 768 });
  await expect
    .poll(() =>
      page
        .locator('.tally-chart .tally-name')
        .first()
        .evaluate((name) => getComputedStyle(name).fontSize),
    )
    .toBe('28px');
  const overflow = await page.evaluate(() => {
    const outside = [...document.querySelectorAll('.projector *')]
      .filter((element) => !element.closest('.visually-hidden'))
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.right > innerWidth + 0.5 || box.bottom > innerHeight + 0.5))
      .map(
        ({ element }) =>
          `${element.tagName}.${element.getAttribute('class') ?? ''} ${element.textContent?.slice(0, 20)}`,
      );
    return {
      outside,
      scrollWidth: document.documentElement.scrollWidth,
      scrollHeight: document.documentElement.scrollHeight,
    };
  });
  expect(overflow).toEqual({ outside: [], scrollWidth: 1024, scrollHeight: 768 });
  await expectNoAxeViolations(page);
});
