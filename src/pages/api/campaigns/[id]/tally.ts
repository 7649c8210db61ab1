import type { APIRoute } from 'astro';
import { errorResponse, json } from '../../../../server/voting/http';
import { getPublicTally } from '../../../../server/voting/service';

export const prerender = false;

/** The public tally: candidates only, write-ins stay private until staff approve them. */
export const GET: APIRoute = async ({ params }) => {
  const read = await getPublicTally(params.id ?? '');
  return read.ok ? json(read.tally) : errorResponse(read.code);
};
