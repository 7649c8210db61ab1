import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';

/** The chat is server-rendered first; wait until Preact has taken it over. */
const hydrated = (page: Page) => page.locator('astro-island:not([ssr])').first().waitFor({ state: 'attached' });

test.describe('assistant', () => {
  test('asks on the phone, reads a sourced answer and follows its source', async ({ page }, testInfo) => {
    // eslint-disable-next-line no-restricted-properties -- a phone journey: the desktop project has its own tests below.
    test.skip(testInfo.project.name !== 'phone', 'phone viewport only');
    await page.goto('/assistant/');
    await hydrated(page);
    const question = page.getByLabel('您的问题');
    await question.fill('格林牌电动自行车召回了吗');
    await question.press('Enter');
    const log = page.getByRole('log', { name: '问答记录' });
    await expect(log).toContainText('无锡宝岛车业科技有限公司');
    await expect(log).toContainText('本回答摘自本站公开信息');
    const source = log
      .locator('.assistant-sources')
      .getByRole('link', { name: '无锡宝岛车业科技有限公司召回格林牌TDT047Z电动自行车' });
    await expect(source).toBeVisible();
    // Nothing may push the page sideways on a 360 px screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await source.click();
    await expect(page).toHaveURL(/\/recalls\/2024-wu-xi-bao-dao-che-ye-ke-ji-you-xian\/$/);
  });

  test('sample questions are buttons, Shift+Enter adds a line, and the page has no axe violations', async ({
    page,
  }) => {
    await page.goto('/assistant/');
    await hydrated(page);
    const question = page.getByLabel('您的问题');
    await question.fill('甲醛');
    await question.press('Shift+Enter');
    await question.pressSequentially('含量');
    await expect(question).toHaveValue('甲醛\n含量');
    await question.fill('');
    await page.getByRole('button', { name: '甲醛含量不合格是什么意思' }).click();
    await expect(page.getByRole('log')).toContainText('是什么：');
    await expectNoAxeViolations(page);
  });

  test('without JavaScript the form still answers, and the question never goes into the URL', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/assistant/');
    await page.getByLabel('您的问题').fill('倍思移动电源召回');
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/assistant/') && r.isNavigationRequest()),
      page.getByRole('button', { name: '发送' }).click(),
    ]);
    expect(request.method()).toBe('POST');
    await expect(page.getByRole('heading', { name: '您的问题：倍思移动电源召回' })).toBeVisible();
    await expect(page.locator('#main')).toContainText('38814台');
    expect(new URL(page.url()).search).toBe('');
    expect(page.url()).not.toContain(encodeURIComponent('倍思'));
    await context.close();
  });

  test('on the phone the conversation has the page, and a new answer is shown from its start', async ({
    page,
  }, testInfo) => {
    // eslint-disable-next-line no-restricted-properties -- a phone journey: the desktop project checks the panel instead.
    test.skip(testInfo.project.name !== 'phone', 'phone viewport only');
    await page.goto('/assistant/');
    await hydrated(page);
    const question = page.getByLabel('您的问题');
    await question.fill('甲醛含量不合格是什么意思');
    await question.press('Enter');
    const log = page.getByRole('log', { name: '问答记录' });
    await expect(log.locator('.assistant-answer').first()).toContainText('本回答摘自本站公开信息');
    await question.fill('移动电源抽查有哪些不合格');
    await question.press('Enter');
    const answer = log.locator('.assistant-answer').nth(1);
    await expect(answer).toContainText('本回答摘自本站公开信息');
    // No box scrolling inside the page: the log is as tall as what it holds.
    expect(await log.evaluate((box) => box.scrollHeight - box.clientHeight)).toBeLessThanOrEqual(1);
    // The second question sits at the top of the screen and its answer starts right below it.
    const viewport = page.viewportSize()!;
    const asked = (await log.locator('.assistant-question').nth(1).boundingBox())!;
    expect(asked.y).toBeGreaterThanOrEqual(0);
    expect(asked.y).toBeLessThan(80);
    const answered = (await answer.boundingBox())!;
    expect(answered.y).toBeLessThan(viewport.height / 2);
    expect(answered.y + answered.height).toBeGreaterThan(viewport.height);
  });

  test('the Shift+Enter hint is shown only where there is a keyboard with Shift', async ({ page }, testInfo) => {
    await page.goto('/assistant/');
    await hydrated(page);
    // innerText is what is shown: text hidden by the (hover: none) rule is not in it.
    const hint = page.locator('.assistant-form .field-hint');
    if (testInfo.project.name === 'phone') await expect(hint).not.toContainText('Shift+Enter', { useInnerText: true });
    else await expect(hint).toContainText('Shift+Enter', { useInnerText: true });
    await expect(hint).toContainText('最多 500 字', { useInnerText: true });
  });
});
