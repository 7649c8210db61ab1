/**
 * Set-aside ballots in PostgreSQL: one row per set-aside, the record as jsonb (it is read whole and
 * written whole), its version beside it for the compare-and-set restore.
 */
import type pg from 'pg';
import { assertCurrentVersion } from '~/lib/admin/versioning';
import { restoredSetAside, storedSetAside, type NewSetAside, type SetAside } from '~/lib/voting/set-aside';
import { newRecordId } from '~/server/store/shared/ids';
import type { SetAsides } from '~/server/store/store';
import { query, transaction } from './db';

export class PgSetAsides implements SetAsides {
  constructor(
    readonly pool: pg.Pool,
    readonly now: () => Date,
  ) {}

  async list(campaignId: string): Promise<SetAside[]> {
    const { rows } = await query<{ record: SetAside }>(
      this.pool,
      'SELECT record FROM ballot_set_asides WHERE campaign_id = $1 ORDER BY position',
      [campaignId],
    );
    return rows.map((row) => row.record);
  }

  async create(setAside: NewSetAside): Promise<SetAside> {
    const stored = storedSetAside(setAside, newRecordId('sa'));
    await query(this.pool, 'INSERT INTO ballot_set_asides (id, campaign_id, record, version) VALUES ($1, $2, $3, $4)', [
      stored.id,
      stored.campaignId,
      JSON.stringify(stored),
      stored.version,
    ]);
    return stored;
  }

  restore(id: string, expectedVersion: number, actor: string): Promise<SetAside> {
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<{ record: SetAside }>(
        'SELECT record FROM ballot_set_asides WHERE id = $1 FOR UPDATE',
        [id],
      );
      const current = rows[0]?.record;
      assertCurrentVersion(current, expectedVersion, `set-aside/${id}`);
      const restored = restoredSetAside(current as SetAside, actor, this.now());
      await client.query('UPDATE ballot_set_asides SET record = $2, version = $3 WHERE id = $1', [
        id,
        JSON.stringify(restored),
        restored.version,
      ]);
      return restored;
    });
  }
}
