import type { Page } from '@playwright/test';

/** Opens a folded <details> (it is folded on a phone, and on a wide screen only where the browser cannot show its content). */
async function unfold(page: Page, summary: string): Promise<void> {
  const button = page.locator('summary', { hasText: summary }).first();
  if (await button.isVisible()) {
    const details = button.locator('xpath=..');
    if ((await details.getAttribute('open')) === null) await button.click();
  }
}

/** The site menu: the 菜单 button on a phone, links in the header bar on a wide screen. */
export const openMenu = (page: Page) => unfold(page, '菜单');

/** A list page's filter form: behind the 筛选 button on a phone. */
export const openFilters = (page: Page) => unfold(page, '筛选');
