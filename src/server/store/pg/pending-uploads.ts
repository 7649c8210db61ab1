/**
 * Spreadsheets waiting for their column mapping, in PostgreSQL: every portal process reads the same
 * rows, so the mapping form may reach another instance than the upload did, or one restarted since.
 * A put holds a per-owner advisory lock for its transaction, so two uploads of one staff member at
 * once still leave at most PENDING_UPLOAD_LIMITS.perOwner.
 */
import type pg from 'pg';
import {
  displacedPendingUploads,
  isPendingUploadExpired,
  type NewPendingUpload,
  type PendingUpload,
} from '~/lib/publishing/pending-uploads';
import { isPendingUploadId } from '~/server/store/shared/ids';
import { newPendingUpload } from '~/server/store/shared/pending-uploads';
import type { PendingUploads } from '~/server/store/store';
import { query, transaction } from './db';

export class PgPendingUploads implements PendingUploads {
  readonly #pool: pg.Pool;
  readonly #now: () => Date;

  constructor(pool: pg.Pool, now: () => Date) {
    this.#pool = pool;
    this.#now = now;
  }

  async put(input: NewPendingUpload, content: Buffer): Promise<PendingUpload> {
    const now = this.#now();
    const upload = newPendingUpload(input, content, now);
    await transaction(this.#pool, async (client) => {
      await query(client, 'SELECT pg_advisory_xact_lock(hashtext($1))', [`portal:pending_uploads:${input.owner}`]);
      await query(client, 'DELETE FROM pending_uploads WHERE expires_at <= $1::timestamptz', [now.toISOString()]);
      const { rows } = await query<{ record: PendingUpload }>(
        client,
        'SELECT record FROM pending_uploads WHERE owner = $1',
        [input.owner],
      );
      const displaced = displacedPendingUploads(rows.map((row) => row.record));
      if (displaced.length > 0) await query(client, 'DELETE FROM pending_uploads WHERE id = ANY($1)', [displaced]);
      await query(
        client,
        'INSERT INTO pending_uploads (id, owner, expires_at, record, content) VALUES ($1, $2, $3, $4, $5)',
        [upload.id, upload.owner, upload.expiresAt, JSON.stringify(upload), content],
      );
    });
    return upload;
  }

  async get(id: string): Promise<{ upload: PendingUpload; content: Buffer } | null> {
    if (!isPendingUploadId(id)) return null;
    const { rows } = await query<{ record: PendingUpload; content: Buffer }>(
      this.#pool,
      'SELECT record, content FROM pending_uploads WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (!row || isPendingUploadExpired(row.record, this.#now())) return null;
    return { upload: row.record, content: row.content };
  }

  async delete(id: string): Promise<void> {
    await query(this.#pool, 'DELETE FROM pending_uploads WHERE id = $1', [id]);
  }
}
