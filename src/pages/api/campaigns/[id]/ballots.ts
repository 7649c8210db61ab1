import type { APIRoute } from 'astro';
import { readBodyWithLimit } from '~/server/http/body';
import { responseOf } from '~/server/http/json';
import { castBallotOverHttp } from '~/server/voting/cast-ballot-http';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

/**
 * Casts one ballot (JSON). Cross-site requests never get here: see src/middleware.ts. Plain ids are
 * usually answered before Astro by the server entry, with the same function (see cast-ballot-http).
 */
export const POST: APIRoute = async ({ params, request, clientAddress }) =>
  responseOf(
    await castBallotOverHttp(request, (limit) => readBodyWithLimit(request, limit), params.id ?? '', clientAddress),
  );

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('POST');
