import type { APIRoute } from 'astro';
import { json } from '~/server/http/json';
import { errorResponse } from '~/server/voting/http';
import { getPublicEvent } from '~/server/voting/service';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

/** Public facts of an outreach event (for the poster and the ballot banner). */
export const GET: APIRoute = async ({ params }) => {
  const event = await getPublicEvent(params.code ?? '');
  return event ? json(event) : errorResponse('NOT_FOUND', {}, {});
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
