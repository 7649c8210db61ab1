/**
 * Shared steps of the voting end-to-end tests. The e2e server keeps one data folder for all tests,
 * so nothing here assumes an empty tally: tests compare before and after, each in its own browser
 * context (its own device cookie).
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export interface OpenCampaign {
  id: string;
  title: string;
  maxChoices: number;
  tallyPublic: boolean;
  candidates: { id: string; name: string; reason: string }[];
}

/** The campaign that is open for votes in the seeded content (from the e2e server, or the one at `base`). */
export async function openCampaign(request: APIRequestContext, base = ''): Promise<OpenCampaign> {
  const list = await request.get(`${base}/api/campaigns`);
  expect(list.ok()).toBe(true);
  const { campaigns } = (await list.json()) as { campaigns: { id: string; status: string }[] };
  const open = campaigns.find((campaign) => campaign.status === 'open');
  if (!open) throw new Error('the seeded content has no open campaign');
  const detail = await request.get(`${base}/api/campaigns/${open.id}`);
  expect(detail.ok()).toBe(true);
  return (await detail.json()) as OpenCampaign;
}

/** Waits until the ballot island has hydrated (the live count only exists with JavaScript). */
export async function ballotReady(page: Page): Promise<void> {
  await expect(page.getByText(/已选 \d+\/\d+/)).toBeVisible();
}

/** Ticks candidates on the ballot by their visible names. */
export async function pick(page: Page, names: string[]): Promise<void> {
  for (const name of names) await page.getByRole('checkbox', { name }).check();
}
