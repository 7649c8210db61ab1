import type { APIRoute } from 'astro';
import { errorResponse, json } from '../../../server/voting/http';
import { getPublicEvent } from '../../../server/voting/service';

export const prerender = false;

/** Public facts of an outreach event (for the poster and the ballot banner). */
export const GET: APIRoute = async ({ params }) => {
  const event = await getPublicEvent(params.code ?? '');
  return event ? json(event) : errorResponse('NOT_FOUND', {}, {});
};
