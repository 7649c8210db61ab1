import type { APIRoute } from 'astro';
import { now } from '~/server/clock';
import { json } from '~/server/http/json';
import { errorResponse } from '~/server/voting/http';
import { getCampaignView } from '~/server/voting/service';
import { deviceCookieToSet } from '~/server/voting/voter';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

/** One campaign for the ballot; issues the device cookie when the browser has none. */
export const GET: APIRoute = async ({ params, request, url }) => {
  const view = await getCampaignView(params.id ?? '', {
    eventCode: url.searchParams.get('e'),
    kioskToken: request.headers.get('x-kiosk-token') ?? url.searchParams.get('kiosk'),
  });
  if (!view) return errorResponse('NOT_FOUND');
  const cookie = await deviceCookieToSet(request, now());
  return json(view, 200, cookie ? { 'set-cookie': cookie } : {});
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
