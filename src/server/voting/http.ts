/** The voting API's error answer: the shared error shape with the voting table's status and sentence. */
import { VOTING_MESSAGES, VOTING_STATUS, type VotingErrorCode } from '~/lib/voting/messages';
import { jsonAnswer, responseOf, type JsonAnswer } from '~/server/http/json';

/** `{ "error": { "code", "message" } }` with the status that belongs to the code (`extra` sits beside `error`). */
export function votingError(
  code: VotingErrorCode,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): JsonAnswer {
  return jsonAnswer({ ...extra, error: { code, message: VOTING_MESSAGES[code] } }, VOTING_STATUS[code], headers);
}

export function errorResponse(
  code: VotingErrorCode,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Response {
  return responseOf(votingError(code, headers, extra));
}
