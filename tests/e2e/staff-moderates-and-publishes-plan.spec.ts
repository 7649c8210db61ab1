/**
 * The staff side in a real browser against the shared e2e server: moderate and merge write-ins, adopt
 * three items, export CSV, publish, and see the outcome as a citizen; wrong password; CSRF; an
 * editor refused an admin-only page; axe on every admin page type. Data is tagged per project so
 * the desktop and phone runs do not step on each other.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { CAMPAIGN, E2E_ADMIN_PASSWORD, logIn } from './admin-support';

async function castBallot(page: Page, body: unknown): Promise<void> {
  const baseURL = test.info().project.use.baseURL as string;
  // A new device each time, like separate voters: a ballot counts only with the cookie a visit issues.
  const visit = await page.context().request.fetch(`${baseURL}/api/campaigns/${CAMPAIGN}`, {
    headers: { cookie: '' },
  });
  const cookie = visit.headers()['set-cookie']?.split(';')[0] ?? '';
  const response = await page.context().request.fetch(`${baseURL}/api/campaigns/${CAMPAIGN}/ballots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseURL, cookie },
    data: JSON.stringify(body),
  });
  expect([201, 409]).toContain(response.status());
}

function groupSection(page: Page, groupKey: string) {
  return page.locator(`section[data-group="${groupKey}"]`);
}

test('staff moderate, merge, adopt three items, export CSV and publish; a citizen sees the outcome', async ({
  page,
  browser,
}, testInfo) => {
  // eslint-disable-next-line no-restricted-properties -- one project only: the run changes the shared campaign.
  test.skip(
    testInfo.project.name !== 'desktop',
    'one run changes the shared campaign; the phone project checks layout below',
  );
  test.setTimeout(90_000);
  const tag = 'e2e';
  await castBallot(page, { choices: ['tou-kui'], writeIns: [{ product: `${tag}充电宝`, issue: '容量虚标' }] });
  await castBallot(page, { choices: [], writeIns: [{ product: `${tag}移动电源产品`, issue: '充电发烫' }] });
  await castBallot(page, { choices: ['yan-jing'], writeIns: [{ product: `${tag}电动车头盔`, issue: '外壳太薄' }] });
  await castBallot(page, { choices: [], writeIns: [{ product: `${tag}电动自行车头盔`, issue: '没有3C标志' }] });
  await castBallot(page, { choices: [], writeIns: [{ product: `${tag}奶粉`, issue: '价格太贵' }] });

  await logIn(page);
  await expectNoAxeViolations(page);
  await page.goto(`/admin/campaigns/${CAMPAIGN}/write-ins/`);
  await expectNoAxeViolations(page);

  const power = groupSection(page, `${tag}移动电源`);
  await expect(power.getByText(`${tag}移动电源产品`, { exact: true })).toBeVisible();
  await power.getByLabel('合并到……').check();
  await power.getByLabel('合并到（合并时必选）').selectOption({ label: '移动电源' });
  await power.getByRole('button', { name: /提交/ }).click();
  await expect(page.getByRole('status')).toContainText('已处理 2 条');

  // A rejection without a reason comes back with the error summary and the field kept.
  const milk = groupSection(page, `${tag}奶粉`);
  await milk.getByLabel('驳回', { exact: true }).check();
  await milk.getByRole('button', { name: /提交/ }).click();
  await expect(page.getByRole('alert')).toContainText('驳回时请填写理由');
  await expectNoAxeViolations(page);
  await groupSection(page, `${tag}奶粉`).getByLabel('驳回理由（驳回时必填）').fill('价格不属于产品质量抽查范围');
  await groupSection(page, `${tag}奶粉`).getByRole('button', { name: /提交/ }).click();
  await expect(page.getByRole('status')).toContainText('已处理 1 条');

  const helmets = groupSection(page, `${tag}电动自行车头盔`);
  await helmets.getByLabel('通过（作为新的点题项目）').check();
  await helmets.getByRole('button', { name: /提交/ }).click();
  await expect(page.getByRole('status')).toContainText('已处理 2 条');

  await page.goto(`/admin/campaigns/${CAMPAIGN}/`);
  await expectNoAxeViolations(page);
  const helmetRow = page.getByRole('row', { name: new RegExp(`${tag}电动车头盔`) });
  await expect(helmetRow).toContainText('群众自填');
  await expect(page.getByRole('row', { name: /^\d+ 移动电源/ })).toContainText('含合并');

  for (const [nomination, quarter, batches] of [
    [`w:${tag}电动自行车头盔`, '第1季度', '40'],
    ['c:yi-dong-dian-yuan', '第2季度', '25'],
    ['c:tou-kui', '第3季度', ''],
  ] as const) {
    await page.goto(`/admin/plan/2027/?campaign=${CAMPAIGN}&nomination=${encodeURIComponent(nomination)}#new-item`);
    const form = page.locator('#new-item form');
    await form.getByLabel(quarter).check();
    await form.getByLabel('流通').check();
    await form.getByLabel('计划批次').fill(batches);
    await form.getByRole('button', { name: '纳入计划' }).click();
    await expect(page.getByRole('status')).toContainText('已纳入计划');
  }
  await expectNoAxeViolations(page);
  await expect(page.getByRole('row', { name: new RegExp(`${tag}电动车头盔`) })).toContainText('第1季度');

  const csv = await page.request.get('/admin/plan/2027.csv');
  expect(csv.status()).toBe(200);
  const bytes = await csv.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  expect(lines[0]).toContain('"产品类别","抽查方式","实施季度","计划批次"');
  expect(lines.find((line) => line.includes(`${tag}电动车头盔`))).toContain('"第1季度","40","流通"');
  expect(lines.find((line) => line.includes('群众点题：移动电源'))).toContain('"第2季度","25"');
  expect(lines.filter((line) => line.startsWith('"2027"')).length).toBeGreaterThanOrEqual(3);

  await page.goto(`/admin/campaigns/${CAMPAIGN}/`);
  await page.getByRole('button', { name: '公布点题结果' }).click();
  await expect(page.getByRole('status')).toContainText('已公布');

  const citizen = await browser.newContext();
  const citizenPage = await citizen.newPage();
  await citizenPage.goto(`/campaigns/${CAMPAIGN}/outcome/`);
  await expect(citizenPage.getByRole('heading', { level: 1 })).toContainText('点题结果');
  const helmetItem = citizenPage.getByRole('listitem').filter({ hasText: `${tag}电动车头盔` });
  await expect(helmetItem).toContainText('已纳入');
  await expect(helmetItem).toContainText('第1季度');
  await expectNoAxeViolations(citizenPage);
  await citizenPage.getByRole('link', { name: '2027年抽查计划' }).first().click();
  await expect(citizenPage.getByRole('heading', { name: '群众点题纳入的抽查项目' })).toBeVisible();
  await expect(citizenPage.getByRole('row', { name: new RegExp(`${tag}电动车头盔`) })).toContainText('群众点题');
  await expectNoAxeViolations(citizenPage);
  await citizen.close();
});

test('a wrong password gets the same message as an unknown user, fields kept', async ({ page }, testInfo) => {
  await page.goto('/admin/login/');
  await page.getByLabel('用户名').fill(`nobody-${testInfo.project.name}`);
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toContainText('用户名或密码不正确');
  await expect(page.getByLabel('用户名')).toHaveValue(`nobody-${testInfo.project.name}`);
  await expectNoAxeViolations(page);
});

test('a form with a forged CSRF token is refused and changes nothing', async ({ page }, testInfo) => {
  // eslint-disable-next-line no-restricted-properties -- one project only: both share one account list.
  test.skip(testInfo.project.name !== 'desktop', 'one account list per server');
  await logIn(page, 'admin', E2E_ADMIN_PASSWORD, '/admin/users/');
  await page.getByLabel('用户名', { exact: true }).fill('forged-user');
  await page.locator('form:has(input[name="action"][value="create"]) input[name="csrfToken"]').evaluate((input) => {
    (input as HTMLInputElement).value = 'forged-token';
  });
  await page.getByRole('button', { name: '新建账号并生成密码' }).click();
  await expect(page.getByText('安全校验未通过')).toBeVisible();
  await page.goto('/admin/users/');
  await expect(page.getByRole('row', { name: /forged-user/ })).toHaveCount(0);
});

test('an editor is refused the admin-only pages', async ({ page, browser }, testInfo) => {
  const username = `editor-${testInfo.project.name}`;
  await logIn(page, 'admin', E2E_ADMIN_PASSWORD, '/admin/users/');
  await expectNoAxeViolations(page);
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel(/^编辑/).check();
  await page.getByRole('button', { name: '新建账号并生成密码' }).click();
  const password = (await page.getByTestId('one-time-password').textContent()) ?? '';
  expect(password.length).toBeGreaterThanOrEqual(12);

  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  await logIn(editor, username, password);
  await expect(editor.getByRole('link', { name: '账号管理' })).toHaveCount(0);
  const refused = await editor.goto('/admin/users/');
  expect(refused?.status()).toBe(403);
  await expect(editor.getByText('没有执行此操作的权限')).toBeVisible();
  expect((await editor.goto('/admin/audit/'))?.status()).toBe(403);
  await editor.goto('/admin/');
  await editor.getByRole('button', { name: '退出登录' }).click();
  await expect(editor.getByText('您已安全退出')).toBeVisible();
  expect(new URL((await editor.goto('/admin/'))?.url() ?? '').pathname).toBe('/admin/login/');
  await editorContext.close();

  await page.goto('/admin/audit/');
  await expect(page.getByRole('row', { name: new RegExp(`${username}.*越权访问`) }).first()).toBeVisible();
  await expectNoAxeViolations(page);
});
