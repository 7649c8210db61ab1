import type { APIRoute } from 'astro';
import { paths } from '~/paths';
import { getPublicEvent } from '~/server/voting/service';

export const prerender = false;

/**
 * The short address printed on an event's poster (`SITE_URL/e/CODE`): short enough to type from
 * a wall, and a QR code with fewer modules scans from further away. It sends the visitor on to the
 * event's ballot; an unknown code is a plain 404.
 */
export const GET: APIRoute = async ({ params }) => {
  const event = await getPublicEvent(params.code ?? '');
  if (!event) return new Response(null, { status: 404, statusText: 'Not Found' });
  return new Response(null, {
    status: 302,
    headers: { location: paths.campaign(event.campaignId, { e: event.code }), 'cache-control': 'no-store' },
  });
};
