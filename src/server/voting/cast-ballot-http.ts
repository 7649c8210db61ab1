/**
 * POST /api/campaigns/:id/ballots as a plain function of the request: the one implementation of
 * the ballot endpoint. The Astro route calls it, and so does the server entry's direct path for
 * ballots (src/server/entry/serve.ts), which skips Astro's page pipeline on the busiest write of the
 * portal; both get the same media type check, body limit, JSON and ballot rules, voter cookie and
 * error answers.
 */
import { serverClock } from '~/server/clock';
import { serverConfig } from '~/server/config';
import { CLOSE_CONNECTION, mediaType, type BodyRead } from '~/server/http/body';
import { jsonAnswer, type JsonAnswer } from '~/server/http/json';
import type { RequestHead } from '~/server/http/request-head';
import { votingError } from '~/server/voting/http';
import { castBallot } from '~/server/voting/service';
import { identifyVoter } from '~/server/voting/voter';

/**
 * `readBody` reads the body through the edge's limit (src/server/http/body.ts) for either kind of
 * request; `clientAddress` is the socket's address (trusted proxies are resolved by identifyVoter).
 */
export async function castBallotOverHttp(
  request: RequestHead,
  readBody: (limit: number) => Promise<BodyRead>,
  campaignId: string,
  clientAddress: string,
): Promise<JsonAnswer> {
  if (mediaType(request) !== 'application/json') return votingError('UNSUPPORTED_MEDIA_TYPE');
  const read = await readBody(serverConfig().BALLOT_BODY_LIMIT_BYTES);
  if (!read.ok) return votingError(read.code, CLOSE_CONNECTION);
  let body: unknown;
  try {
    body = JSON.parse(read.text);
  } catch {
    return votingError('INVALID_JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return votingError('INVALID_BALLOT');

  const now = serverClock.now();
  const voter = await identifyVoter(request, clientAddress, now);
  const headers: Record<string, string> = voter.setCookie ? { 'set-cookie': voter.setCookie } : {};
  const outcome = await castBallot({
    campaignId,
    body,
    voter,
    kioskToken: request.headers.get('x-kiosk-token'),
    now,
  });
  if (outcome.ok)
    return jsonAnswer(
      outcome.tally ? { ballotId: outcome.ballotId, tally: outcome.tally } : { ballotId: outcome.ballotId },
      201,
      headers,
    );
  if (outcome.retryAfterSeconds !== undefined) headers['retry-after'] = String(outcome.retryAfterSeconds);
  return votingError(outcome.code, headers, outcome.ballotId ? { ballotId: outcome.ballotId } : {});
}
