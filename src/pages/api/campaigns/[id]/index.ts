import type { APIRoute } from 'astro';
import { errorResponse, json } from '../../../../server/voting/http';
import { getCampaignView } from '../../../../server/voting/service';
import { deviceCookieToSet } from '../../../../server/voting/voter';

export const prerender = false;

/** One campaign for the ballot; issues the device cookie when the browser has none. */
export const GET: APIRoute = async ({ params, request, url }) => {
  const view = await getCampaignView(params.id ?? '', {
    eventCode: url.searchParams.get('e'),
    kioskToken: request.headers.get('x-kiosk-token') ?? url.searchParams.get('kiosk'),
  });
  if (!view) return errorResponse('NOT_FOUND');
  const cookie = await deviceCookieToSet(request);
  return json(view, 200, cookie ? { 'set-cookie': cookie } : {});
};
