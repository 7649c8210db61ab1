import type { APIRoute } from 'astro';
import { json } from '~/server/http/json';
import { errorResponse } from '~/server/voting/http';
import { getPublicTally } from '~/server/voting/service';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

/** The public tally: candidates only, write-ins stay private until staff approve them. */
export const GET: APIRoute = async ({ params }) => {
  const read = await getPublicTally(params.id ?? '');
  return read.ok ? json(read.tally) : errorResponse(read.code);
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
