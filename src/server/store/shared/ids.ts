/**
 * The random parts of stored records, made once for both stores: record ids, event codes, kiosk
 * tokens, API token secrets and the hash under which such a secret is kept (a copied database or
 * portal.json does not hand out working kiosk links or API access).
 */
import { createHash, randomBytes } from 'node:crypto';
import { eventCodeFromBytes } from '~/lib/voting/event-code';
import { planItemId } from '~/lib/plan/items';
import type { ApiToken, ApiTokenScope } from '~/lib/publishing/model';
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

/** Kiosk tokens and API token secrets are kept only as this hash. */
export function hashSecretToken(token: string): string {
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
  return { kiosk, token, tokenHash: hashSecretToken(token) };
}

/** `p_…`: a publication. */
export function newPublicationId(): string {
  return newRecordId('p');
}

const ATTACHMENT_ID = /^f_[A-Za-z0-9_-]{12}$/;

/** `f_…`: an attachment; its id is also its file name, so nothing else may name a file. */
export function newAttachmentId(): string {
  return newRecordId('f');
}

/** Only ids this module makes: a lookup by anything else (`../x`, an empty string) finds nothing. */
export function isAttachmentId(id: string): boolean {
  return ATTACHMENT_ID.test(id);
}

const PENDING_UPLOAD_ID = /^t_[A-Za-z0-9_-]{12}$/;

/** `t_…`: a spreadsheet kept for its column mapping; as with attachments, the id is its file name. */
export function newPendingUploadId(): string {
  return newRecordId('t');
}

export function isPendingUploadId(id: string): boolean {
  return PENDING_UPLOAD_ID.test(id);
}

/** API token secrets carry a prefix, so a leaked one is recognisable (secret scanners, logs). */
const API_TOKEN_SECRET = /^ndwc_[A-Za-z0-9_-]{43}$/;

export function isApiTokenSecretShaped(secret: string): boolean {
  return API_TOKEN_SECRET.test(secret);
}

/** A new API token with its one-time secret; stores keep `secretHash`, never the secret. */
export function newApiToken(
  input: { name: string; scopes: readonly ApiTokenScope[]; createdBy: string },
  now: Date,
): { token: ApiToken; secret: string; secretHash: string } {
  const secret = `ndwc_${randomBytes(32).toString('base64url')}`;
  const token: ApiToken = {
    id: newRecordId('t'),
    name: input.name,
    scopes: [...input.scopes],
    createdAt: now.toISOString(),
    createdBy: input.createdBy,
    lastUsedAt: null,
    revokedAt: null,
  };
  return { token, secret, secretHash: hashSecretToken(secret) };
}
