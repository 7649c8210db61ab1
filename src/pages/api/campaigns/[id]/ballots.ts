import type { APIRoute } from 'astro';
import { serverClock } from '~/server/clock';
import { serverConfig } from '~/server/config';
import { CLOSE_CONNECTION, mediaType, readBodyWithLimit } from '~/server/http/body';
import { json } from '~/server/http/json';
import { errorResponse } from '~/server/voting/http';
import { castBallot } from '~/server/voting/service';
import { identifyVoter } from '~/server/voting/voter';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

/** Casts one ballot (JSON). Cross-site requests never get here: see src/middleware.ts. */
export const POST: APIRoute = async ({ params, request, clientAddress }) => {
  if (mediaType(request) !== 'application/json') return errorResponse('UNSUPPORTED_MEDIA_TYPE');
  const read = await readBodyWithLimit(request, serverConfig().BALLOT_BODY_LIMIT_BYTES);
  if (!read.ok) return errorResponse(read.code, CLOSE_CONNECTION);
  let body: unknown;
  try {
    body = JSON.parse(read.text);
  } catch {
    return errorResponse('INVALID_JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return errorResponse('INVALID_BALLOT');

  const now = serverClock.now();
  const voter = await identifyVoter(request, clientAddress, now);
  const headers: Record<string, string> = voter.setCookie ? { 'set-cookie': voter.setCookie } : {};
  const outcome = await castBallot({
    campaignId: params.id ?? '',
    body,
    voter,
    kioskToken: request.headers.get('x-kiosk-token'),
    now,
  });
  if (outcome.ok)
    return json(
      outcome.tally ? { ballotId: outcome.ballotId, tally: outcome.tally } : { ballotId: outcome.ballotId },
      201,
      headers,
    );
  if (outcome.retryAfterSeconds !== undefined) headers['retry-after'] = String(outcome.retryAfterSeconds);
  return errorResponse(outcome.code, headers, outcome.ballotId ? { ballotId: outcome.ballotId } : {});
};

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('POST');
