/** Campaigns from the `campaigns` content collection (content/campaigns/*.json). */
import { getCollection } from 'astro:content';
import type { Campaign } from '~/lib/voting/campaign-schema';

let cached: Promise<Campaign[]> | null = null;

async function load(): Promise<Campaign[]> {
  const entries = await getCollection('campaigns');
  return entries.map((entry) => entry.data).sort((a, b) => b.opensAt.localeCompare(a.opensAt));
}

/** Newest first. Content is fixed at build time, so the built server reads it once per process. */
export function allCampaigns(): Promise<Campaign[]> {
  if (import.meta.env.DEV) return load();
  cached ??= load();
  return cached;
}

export async function findCampaign(id: string): Promise<Campaign | null> {
  return (await allCampaigns()).find((campaign) => campaign.id === id) ?? null;
}
