/**
 * Kiosks of a campaign's outreach events for staff: listed on the campaign page, where a lost or
 * misused kiosk link is revoked (audited). A revoked kiosk's link no longer casts ballots.
 */
import { z } from 'zod';
import type { Kiosk } from '~/server/store/store';
import { getStore } from '~/server/store/instance';
import { audit } from './audit';
import type { StaffContext } from './auth';

export interface CampaignKiosk extends Kiosk {
  eventName: string;
}

/** Every kiosk of the campaign's events, revoked ones included (they show when they were stopped). */
export async function campaignKiosks(campaignId: string): Promise<CampaignKiosk[]> {
  const store = await getStore();
  const events = await store.events.list(campaignId);
  const names = new Map(events.map((event) => [event.code, event.name]));
  const kiosks = await store.kiosks.listOfEvents([...names.keys()]);
  return kiosks.map((kiosk) => ({ ...kiosk, eventName: names.get(kiosk.eventCode) ?? kiosk.eventCode }));
}

const kioskIdSchema = z.string().regex(/^k_[A-Za-z0-9_-]{1,32}$/);

/** Revokes a kiosk of this campaign; false when the campaign has no such kiosk. */
export async function revokeCampaignKiosk(staff: StaffContext, campaignId: string, kioskId: unknown): Promise<boolean> {
  const parsed = kioskIdSchema.safeParse(kioskId);
  const kiosk = parsed.success
    ? (await campaignKiosks(campaignId)).find((candidate) => candidate.id === parsed.data)
    : undefined;
  if (!kiosk) {
    await audit({
      actor: staff.user.username,
      action: 'kiosk.revoke',
      target: `${campaignId}/${parsed.success ? parsed.data : '?'}`,
      outcome: 'failed',
      detail: '设备不存在',
    });
    return false;
  }
  await (await getStore()).kiosks.revoke(kiosk.id);
  await audit({
    actor: staff.user.username,
    action: 'kiosk.revoke',
    target: `${campaignId}/${kiosk.id}`,
    detail: `活动「${kiosk.eventName}」`,
  });
  return true;
}
