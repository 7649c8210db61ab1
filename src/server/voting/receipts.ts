/** The ballot this device cast, looked up from its device cookie (for the receipt shown on arrival). */
import { getStore } from '~/server/store/instance';
import { deviceHashOf } from './voter';

export async function deviceBallotId(campaignId: string, request: Request): Promise<string | null> {
  const deviceHash = await deviceHashOf(request);
  if (!deviceHash) return null;
  return (await getStore()).ballots.ofDevice(campaignId, deviceHash);
}
