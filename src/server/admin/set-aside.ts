/**
 * Staff set a flagged burst of ballots aside from the official count (剔除), or restore it. The
 * ballots stay in the log and in the running tally; the public tally subtracts them and says how
 * many (lib/voting/set-aside). Every step is audited.
 */
import type { FlagKind } from '~/lib/admin/suspicious';
import { newSetAside } from '~/lib/voting/set-aside';
import { serverClock } from '~/server/clock';
import { getStore } from '~/server/store/instance';
import type { Ballot } from '~/server/store/store';
import { findCampaign } from '~/server/voting/campaigns';
import { recountPublicTally } from '~/server/voting/service';
import { fail, guarded, type ActionResult } from './actions';
import type { StaffContext } from './auth';
import { reviewIndex } from './review-index';

export interface FlagReference {
  kind: FlagKind;
  key: string;
  firstAt: string;
}

/** Sets the flag's ballots aside; resolves with how many were set aside now. */
export async function setAsideFlaggedBallots(
  staff: StaffContext,
  campaignId: string,
  reference: FlagReference,
  reason: string,
): Promise<ActionResult<number>> {
  if (!(await findCampaign(campaignId))) return fail('NOT_FOUND');
  const store = await getStore();
  const flag = (await reviewIndex(store))
    .flags(campaignId)
    .find(
      (candidate) =>
        candidate.kind === reference.kind && candidate.key === reference.key && candidate.firstAt === reference.firstAt,
    );
  if (!flag) return fail('NOT_FOUND');
  const ballots = (await Promise.all(flag.ballotIds.map((id) => store.ballots.get(id)))).filter(
    (ballot): ballot is Ballot => ballot !== null,
  );
  const setAside = newSetAside(
    {
      campaignId,
      flag: reference,
      reason,
      setAsideBy: staff.user.username,
      setAsideAt: serverClock.now().toISOString(),
    },
    ballots.map((ballot) => ({ ...ballot, writeInCount: ballot.writeIns.length })),
    await store.setAsides.list(campaignId),
  );
  if (!setAside) return fail('ALREADY_SET_ASIDE');
  const result = await guarded(
    staff.user.username,
    'ballots.set-aside',
    campaignId,
    async () => (await store.setAsides.create(setAside)).ballotIds.length,
    `${setAside.ballotIds.length} 张：${reason}`,
  );
  if (result.ok) recountPublicTally(campaignId);
  return result;
}

/** Puts a set-aside's ballots back into the official count. */
export async function restoreSetAside(
  staff: StaffContext,
  campaignId: string,
  setAsideId: string,
  expectedVersion: number,
): Promise<ActionResult<null>> {
  const store = await getStore();
  if (!(await store.setAsides.list(campaignId)).some((setAside) => setAside.id === setAsideId))
    return fail('NOT_FOUND');
  const result = await guarded(staff.user.username, 'ballots.restore', `${campaignId}/${setAsideId}`, async () => {
    await store.setAsides.restore(setAsideId, expectedVersion, staff.user.username);
    return null;
  });
  if (result.ok) recountPublicTally(campaignId);
  return result;
}
