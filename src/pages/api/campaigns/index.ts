import type { APIRoute } from 'astro';
import { json } from '~/server/http/json';
import { listCampaignSummaries } from '~/server/voting/service';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

/** All campaigns with their status now. */
export const GET: APIRoute = async () => json({ campaigns: await listCampaignSummaries() });

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
