/** The voting API's error answer: the shared error shape with the voting table's status and sentence. */
import { VOTING_MESSAGES, VOTING_STATUS, type VotingErrorCode } from '~/lib/voting/messages';
import { json } from '~/server/http/json';

/** `{ "error": { "code", "message" } }` with the status that belongs to the code (`extra` sits beside `error`). */
export function errorResponse(
  code: VotingErrorCode,
  headers: HeadersInit = {},
  extra: Record<string, unknown> = {},
): Response {
  return json({ ...extra, error: { code, message: VOTING_MESSAGES[code] } }, VOTING_STATUS[code], headers);
}
