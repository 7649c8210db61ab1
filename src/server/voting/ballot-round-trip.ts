/**
 * A refused no-JavaScript ballot is answered by the ballot page itself, refilled from the POST: the
 * form handler rewrites to the page with a fresh GET request and leaves the voter's values here,
 * keyed by that request object, so free text never travels in a URL and a link can pre-fill nothing.
 */
import type { BallotFormValues } from '~/lib/voting/ballot-form';
import type { VotingErrorCode } from '~/lib/voting/messages';

export interface RefusedBallot {
  code: VotingErrorCode;
  values: BallotFormValues;
  /** HTTP status of the page that explains the refusal. */
  status: number;
  /** Headers the page's answer carries beside its own (Retry-After, Connection: close). */
  headers: Headers;
}

const refusals = new WeakMap<Request, RefusedBallot>();

/** The GET request the ballot page renders for this refusal. */
export function requestForRefusedBallot(pageUrl: URL, original: Request, refusal: RefusedBallot): Request {
  const headers = new Headers(original.headers);
  // The body stays with the POST; the page's request has none.
  headers.delete('content-length');
  headers.delete('content-type');
  const request = new Request(pageUrl, { method: 'GET', headers });
  refusals.set(request, refusal);
  return request;
}

/** The refusal the ballot page is rendering, or null for an ordinary visit. */
export function refusedBallotOf(request: Request): RefusedBallot | null {
  return refusals.get(request) ?? null;
}
