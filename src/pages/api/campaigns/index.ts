import type { APIRoute } from 'astro';
import { json } from '../../../server/voting/http';
import { listCampaignSummaries } from '../../../server/voting/service';

export const prerender = false;

/** All campaigns with their status now. */
export const GET: APIRoute = async () => json({ campaigns: await listCampaignSummaries() });
