/**
 * The Content-Security-Policy lets every island and script of the portal work: a citizen uses the
 * 关怀版 switch, searches with Pagefind (WebAssembly), votes, asks the assistant, an organiser opens
 * the projector and the poster, and a staff member mistypes a password (the error summary takes the
 * focus). The browser reports no CSP violation on any of these pages, neither as a
 * `securitypolicyviolation` event nor as a console error.
 */
import { expect, type Page } from '@playwright/test';
import { test } from './voting-events';
import { ballotReady, openCampaign, pick } from './voting-support';

interface Violation {
  page: string;
  directive: string;
  blocked: string;
  sample: string;
}

/** Records every CSP violation of every document the page loads, until the test ends. */
async function watchViolations(page: Page): Promise<Violation[]> {
  const violations: Violation[] = [];
  await page.exposeFunction('reportCspViolation', (violation: Violation) => violations.push(violation));
  // Init scripts are injected by the browser's debugging protocol, so the policy does not stop this one.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation: (violation: object) => void }).reportCspViolation({
        page: location.pathname,
        directive: event.violatedDirective,
        blocked: event.blockedURI,
        sample: event.sample,
      });
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push({ page: page.url(), directive: 'console', blocked: '', sample: message.text() });
    }
  });
  return violations;
}

test('the 关怀版 switch and the Pagefind search run under the policy', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/');
  const toggle = page.getByRole('button', { name: /关怀版/ });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  // The pre-paint script (hashed inline) applies the remembered choice on the next page.
  await page.goto('/search/');
  await expect(page.locator('html')).toHaveAttribute('data-care', 'on');
  // The search page's own pre-paint script swapped the no-script notice for the form.
  await expect(page.locator('#search-needs-js')).toBeHidden();
  await page.getByLabel('搜索关键词').fill('头盔');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(/找到 \d+ 条/);
  await expect(page.locator('#search-results li').first()).toBeVisible();
  await page.locator('#search-results a').first().click();
  await expect(page).not.toHaveURL(/\/search\//);
  expect(violations).toEqual([]);
});

test('the ballot island votes under the policy', async ({ page, request }) => {
  const violations = await watchViolations(page);
  const campaign = await openCampaign(request);
  const [first] = campaign.candidates;
  if (!first) throw new Error('the open campaign needs a candidate');
  await page.goto(`/campaigns/${campaign.id}/`);
  await ballotReady(page);
  await pick(page, [first.name]);
  await page.getByRole('button', { name: '投票', exact: true }).click();
  await expect(page.getByRole('heading', { name: '投票成功，谢谢您！' })).toBeVisible();
  expect(violations).toEqual([]);
});

test('the assistant answers under the policy', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/assistant/');
  await page.locator('astro-island:not([ssr])').first().waitFor({ state: 'attached' });
  const question = page.getByLabel('您的问题');
  await question.fill('格林牌电动自行车召回了吗');
  await question.press('Enter');
  await expect(page.getByRole('log', { name: '问答记录' })).toContainText('本回答摘自本站公开信息');
  expect(violations).toEqual([]);
});

test('the projector and the poster of an event show under the policy', async ({ page, eventServer }) => {
  const violations = await watchViolations(page);
  const { url, campaignId, event } = eventServer;
  await page.goto(`${url}/campaigns/${campaignId}/events/${event.code}/poster/`);
  await expect(page.getByRole('img', { name: /二维码/ })).toBeVisible();
  await page.goto(`${url}/campaigns/${campaignId}/events/${event.code}/projector/`);
  await expect(page.getByRole('img', { name: /二维码/ })).toBeVisible();
  await expect(page.getByTestId('projector-total')).toBeVisible();
  expect(violations).toEqual([]);
});

test('the staff login focuses its error summary under the policy', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/admin/login/');
  await page.getByLabel('用户名').fill('no-such-staff');
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  // Focused by ErrorSummary's bundled script: it ran, so the policy allowed it.
  await expect(page.locator('[data-error-summary]')).toBeFocused();
  expect(violations).toEqual([]);
});
