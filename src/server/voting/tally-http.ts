/**
 * GET /api/campaigns/:id/tally as a plain function: the one implementation of the public tally read.
 * The Astro route calls it, and so does the server entry's direct path (src/server/entry/serve.ts):
 * projectors and every voter's phone poll it during events, and Astro's page pipeline allocated
 * about 50 KB per read, enough that young-generation collections held reads up for 5–15 ms at
 * 1M ballots while the tally itself comes from a cache.
 */
import { jsonAnswer, type JsonAnswer } from '~/server/http/json';
import { votingError } from '~/server/voting/http';
import { getPublicTally } from '~/server/voting/service';

/** The public tally: candidates only; write-ins stay private until staff approve them. */
export async function readTallyOverHttp(campaignId: string): Promise<JsonAnswer> {
  const read = await getPublicTally(campaignId);
  return read.ok ? jsonAnswer(read.tally) : votingError(read.code);
}
