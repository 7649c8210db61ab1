import { expect, type Page } from '@playwright/test';

/** Set as ADMIN_PASSWORD for the e2e server in playwright.config.ts. */
export const E2E_ADMIN_PASSWORD = 'e2e-staff-passphrase-2027';
export const CAMPAIGN = '2027-ni-dian-wo-cha';

export async function logIn(
  page: Page,
  username = 'admin',
  password = E2E_ADMIN_PASSWORD,
  next = '/admin/',
): Promise<void> {
  await page.goto(`/admin/login/?next=${encodeURIComponent(next)}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
}
