/** The publication record rules both stores apply (lib/publishing/records) and the ids and secrets of store/shared. */
import { describe, expect, it } from 'vitest';
import { RecordNotFoundError, VersionConflictError } from '../../src/lib/admin/types';
import type { Publication } from '../../src/lib/publishing/model';
import {
  createdPublication,
  hasPublicFace,
  isDue,
  newestChangeFirst,
  publicationDueAt,
  savedPublication,
} from '../../src/lib/publishing/records';
import {
  isApiTokenSecretShaped,
  isAttachmentId,
  newApiToken,
  newAttachmentId,
} from '../../src/server/store/shared/ids';
import { newPublication } from '../support/store-contract';

const created = createdPublication(newPublication('a'), 'p_1', new Date('2026-12-01T02:00:00Z'));

function withDraft(change: Partial<NonNullable<Publication['draft']>>): Publication {
  return { ...created, draft: { ...(created.draft as NonNullable<Publication['draft']>), ...change } };
}

describe('publication records', () => {
  it('starts at version 1 and saves to the next version, keeping what only the store decides', () => {
    expect(created).toMatchObject({ id: 'p_1', version: 1, createdAt: '2026-12-01T02:00:00.000Z' });
    const saved = savedPublication(
      created,
      { ...created, kind: 'recalls', id: 'p_other', createdBy: 'mallory', slug: 'b', version: 7 },
      1,
      new Date('2026-12-01T03:00:00Z'),
    );
    expect(saved).toEqual({ ...created, slug: 'b', version: 2, updatedAt: '2026-12-01T03:00:00.000Z' });
    expect(() => savedPublication(saved, saved, 1, new Date())).toThrow(VersionConflictError);
    expect(() => savedPublication(null, saved, 1, new Date())).toThrow(RecordNotFoundError);
  });

  it('is due from its scheduled instant, whatever offset either time is written with', () => {
    expect(publicationDueAt(created)).toBeNull();
    expect(publicationDueAt(withDraft({ stage: 'in_review', scheduledFor: '2026-12-01T10:00:00+08:00' }))).toBeNull();
    const atTen = withDraft({ stage: 'scheduled', scheduledFor: '2026-12-01T10:00:00+08:00' });
    expect(publicationDueAt(atTen)).toBe('2026-12-01T02:00:00.000Z');
    expect(isDue(atTen, '2026-12-01T09:59:59+08:00')).toBe(false);
    expect(isDue(atTen, '2026-12-01T02:00:00Z')).toBe(true);
    // The string "2026-12-01T01:30:00-01:00" sorts before the scheduled one but is 02:30 UTC.
    expect(isDue(atTen, '2026-12-01T01:30:00-01:00')).toBe(true);
    expect(publicationDueAt(withDraft({ stage: 'scheduled', scheduledFor: null }))).toBe(created.updatedAt);
  });

  it('has a public face once published or withdrawn', () => {
    expect(hasPublicFace(created)).toBe(false);
    const published = createdPublication(newPublication('b', { published: true }), 'p_2', new Date());
    expect(hasPublicFace(published)).toBe(true);
    expect(hasPublicFace({ ...created, withdrawal: { reason: '错误', at: 'x', by: 'bob' } })).toBe(true);
  });

  it('orders newest change first, then by id', () => {
    const rows = [
      { id: 'p_a', updatedAt: '2026-12-01T01:00:00.000Z' },
      { id: 'p_b', updatedAt: '2026-12-01T02:00:00.000Z' },
      { id: 'p_c', updatedAt: '2026-12-01T01:00:00.000Z' },
    ];
    expect(rows.sort(newestChangeFirst).map((row) => row.id)).toEqual(['p_b', 'p_c', 'p_a']);
  });
});

describe('attachment ids and API token secrets', () => {
  it('names attachments only by ids it made', () => {
    expect(isAttachmentId(newAttachmentId())).toBe(true);
    for (const name of ['../portal.json', 'f_short', 'f_AAAAAAAAAAAA.json', '', 'f_AAAAAAAA/AAA']) {
      expect(isAttachmentId(name)).toBe(false);
    }
  });

  it('makes a prefixed secret and keeps only its hash', () => {
    const { token, secret, secretHash } = newApiToken(
      { name: '监管系统', scopes: ['publish'], createdBy: 'alice' },
      new Date('2026-12-01T02:00:00Z'),
    );
    expect(isApiTokenSecretShaped(secret)).toBe(true);
    expect(isApiTokenSecretShaped(`${secret}x`)).toBe(false);
    expect(secretHash).not.toContain(secret.slice(5, 15));
    expect(JSON.stringify(token)).not.toContain(secret);
    expect(token).toMatchObject({ createdAt: '2026-12-01T02:00:00.000Z', lastUsedAt: null, revokedAt: null });
  });
});
