/**
 * The random parts of stored records, made once for both stores: record ids, event codes, kiosk
 * tokens and the hash under which a kiosk token is kept (a copied database or portal.json does not
 * hand out working kiosk links).
 */
import { createHash, randomBytes } from 'node:crypto';
import { eventCodeFromBytes } from '~/lib/voting/event-code';
import { planItemId } from '~/lib/plan/items';
import type { Kiosk, OutreachEvent } from '~/server/store/store';

/** `u_…`, `a_…`: a prefix naming the kind of record, then 72 random bits. */
export function newRecordId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

export function newPlanItemId(): string {
  return planItemId(randomBytes(9).toString('base64url'));
}

export function newEventCode(): string {
  return eventCodeFromBytes(randomBytes(6));
}

export function hashKioskToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A new kiosk of `event` with its one-time token; stores keep `tokenHash`, never the token. */
export function newKiosk(event: OutreachEvent, now: Date): { kiosk: Kiosk; token: string; tokenHash: string } {
  const token = randomBytes(24).toString('base64url');
  const kiosk: Kiosk = {
    id: `k_${randomBytes(6).toString('base64url')}`,
    eventCode: event.code,
    campaignId: event.campaignId,
    createdAt: now.toISOString(),
    revokedAt: null,
  };
  return { kiosk, token, tokenHash: hashKioskToken(token) };
}
