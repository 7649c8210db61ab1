/**
 * An admin issues a token for the bureau's supervision system on /admin/tokens/, copies the secret
 * shown once, then revokes it; a mistyped name is refused with the field's error. axe on each state,
 * at desktop width and on a 360 px phone (each project issues its own, named after it).
 */
import { expect, test } from '@playwright/test';
import { logIn } from './admin-support';
import { expectNoAxeViolations } from './axe';

test('an admin issues a token, sees its secret once, and revokes it', async ({ page }, testInfo) => {
  // Four axe runs on a shared, busy machine take longer than the default 30 s.
  test.setTimeout(90_000);
  const name = `jianguan-${testInfo.project.name}`;
  await logIn(page, undefined, undefined, '/admin/tokens/');
  await expect(page.getByRole('heading', { level: 1, name: '接口令牌' })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel('名称').fill('-坏名字');
  await page.getByRole('button', { name: '签发令牌' }).click();
  await expect(page.getByRole('alert')).toContainText('以字母、汉字或数字开头');
  await expectNoAxeViolations(page);

  await page.getByLabel('名称').fill(name);
  await page.getByLabel(/publish：直接发布/).check();
  await page.getByRole('button', { name: '签发令牌' }).click();
  const secret = page.getByTestId('one-time-token');
  await expect(secret).toHaveText(/^[A-Za-z0-9_-]{20,}$/);
  await expectNoAxeViolations(page);
  await page.screenshot({ path: testInfo.outputPath(`tokens-issued-${testInfo.project.name}.png`), fullPage: true });
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('drafts:create、publish');
  await expect(row).toContainText('从未使用');

  await page.goto('/admin/tokens/');
  await expect(page.getByTestId('one-time-token')).toHaveCount(0);
  await row.getByRole('button', { name: new RegExp(`吊销\\s*（${name}）`) }).click();
  await expect(page.getByRole('status')).toContainText(`已吊销令牌「${name}」`);
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('已吊销');
  await expectNoAxeViolations(page);
});
