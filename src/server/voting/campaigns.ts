/** Campaigns from the `campaigns` content collection (content/campaigns/*.json). */
import { getCollection } from 'astro:content';
import type { Campaign } from '../../lib/voting/campaign-schema';

export async function allCampaigns(): Promise<Campaign[]> {
  const entries = await getCollection('campaigns');
  return entries.map((entry) => entry.data).sort((a, b) => b.opensAt.localeCompare(a.opensAt));
}

export async function findCampaign(id: string): Promise<Campaign | null> {
  return (await allCampaigns()).find((campaign) => campaign.id === id) ?? null;
}
