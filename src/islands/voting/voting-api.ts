/**
 * The browser side of `POST /api/campaigns/<id>/ballots`: sends the ballot and turns every answer,
 * including a dropped connection, into one of three outcomes the ballot island can show.
 */
import type { PublicTally } from '~/lib/voting/tally';
import { parsePublicTally } from '~/lib/voting/tally-view';
import type { BallotRequestBody } from '~/lib/voting/ballot-form';
import { paths } from '~/paths';

export type BallotOutcome =
  | { kind: 'accepted'; ballotId: string; tally: PublicTally | null }
  | { kind: 'alreadyVoted'; ballotId: string }
  | { kind: 'refused'; code: string; message: string; retryAfterSeconds?: number };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Said when the network or the server fails without a readable answer; the form keeps every choice. */
export const CONNECTION_LOST_MESSAGE = '网络连接出了问题，投票没有送达。您的选择都还在，请检查网络后再点一次“投票”。';

export async function submitBallot(
  campaignId: string,
  body: BallotRequestBody,
  kioskToken: string | undefined,
): Promise<BallotOutcome> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (kioskToken) headers['X-Kiosk-Token'] = kioskToken;
  let response: Response;
  let payload: unknown;
  try {
    response = await fetch(paths.apiBallots(campaignId), {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify(body),
    });
    payload = await response.json();
  } catch {
    return { kind: 'refused', code: 'NETWORK', message: CONNECTION_LOST_MESSAGE };
  }
  if (response.ok && isRecord(payload) && typeof payload.ballotId === 'string') {
    return { kind: 'accepted', ballotId: payload.ballotId, tally: parsePublicTally(payload.tally) };
  }
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : {};
  const code = typeof error.code === 'string' ? error.code : 'UNKNOWN';
  // The contract puts the first ballot's id in the error object; accept it beside it as well.
  const firstBallotId = error.ballotId ?? (isRecord(payload) ? payload.ballotId : undefined);
  if (code === 'ALREADY_VOTED' && typeof firstBallotId === 'string') {
    return { kind: 'alreadyVoted', ballotId: firstBallotId };
  }
  const message = typeof error.message === 'string' && error.message ? error.message : CONNECTION_LOST_MESSAGE;
  const retryAfter = Number(response.headers.get('retry-after'));
  return Number.isFinite(retryAfter) && retryAfter > 0
    ? { kind: 'refused', code, message, retryAfterSeconds: retryAfter }
    : { kind: 'refused', code, message };
}

/** The current public tally, or null when it is not public or cannot be read right now. */
export async function fetchTally(campaignId: string): Promise<PublicTally | null> {
  try {
    const response = await fetch(paths.apiTally(campaignId), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    return response.ok ? parsePublicTally(await response.json()) : null;
  } catch {
    return null;
  }
}
