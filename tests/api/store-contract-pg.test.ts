/**
 * The storage contract on PostgreSQL (one real server for the file, one database per scenario), and
 * what only a shared database can show: two stores on one database behave as one — one ballot per
 * device across both, exact tallies, tally changes seen by the other, kiosk pacing held by both,
 * content changes heard by the other — and schema migrations started by two processes at once.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Publication } from '../../src/lib/publishing/model';
import { DATA_TABLES, migrate, MIGRATIONS } from '../../src/server/store/pg/migrations';
import { PgStore } from '../../src/server/store/pg-store';
import type { Store } from '../../src/server/store/store';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { ballot, newPublication, storeContract } from '../support/store-contract';

let server: PostgresServer;
const urls = new Map<Store, string>();

function open(url: string, now?: () => Date): Promise<PgStore> {
  return PgStore.open({
    connectionString: url,
    poolSize: 6,
    command: 'store contract',
    log: () => undefined,
    ...(now ? { now } : {}),
  }).then((store) => {
    urls.set(store, url);
    return store;
  });
}

describe('PostgreSQL store', () => {
  beforeAll(async () => {
    server = await startPostgres();
  });

  afterAll(async () => {
    await server?.stop();
  });

  storeContract('PostgreSQL store', () => ({
    open: async (options = {}) => open(await server.createDatabase(), options.now),
    reopen: async (store) => {
      await store.close();
      return open(urls.get(store) as string);
    },
    storedText: async (store) => {
      const client = new pg.Client({ connectionString: urls.get(store) as string });
      await client.connect();
      try {
        const dumps = [];
        for (const table of DATA_TABLES) {
          const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
          dumps.push(...rows.map((row) => row.row));
        }
        return dumps.join('\n');
      } finally {
        await client.end();
      }
    },
  }));

  describe('schema migrations', () => {
    it('put the drafts already waiting for review into the review queue when in_review_since is added', async () => {
      const url = await server.createDatabase();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await migrate(
        client,
        MIGRATIONS.filter((migration) => migration.version < 6),
      );
      const base = { ...newPublication('waiting'), createdAt: '2026-11-01T00:00:00.000Z', version: 2 };
      const rows: Publication[] = [
        {
          ...base,
          id: 'p_waiting',
          updatedAt: '2026-11-03T00:00:00.000Z',
          draft: { ...base.draft!, stage: 'in_review', submittedAt: '2026-11-02T10:00:00+08:00' },
        },
        {
          ...base,
          id: 'p_unstamped',
          slug: 'unstamped',
          updatedAt: '2026-11-01T12:00:00.000Z',
          draft: { ...base.draft!, stage: 'in_review', submittedAt: null },
        },
        { ...base, id: 'p_editing', slug: 'editing', updatedAt: '2026-10-01T00:00:00.000Z' },
      ];
      for (const row of rows) {
        await client.query(
          `INSERT INTO publications (id, kind, slug, version, updated_at, has_public_face, due_at, record)
           VALUES ($1, $2, $3, $4, $5, false, NULL, $6)`,
          [row.id, row.kind, row.slug, row.version, row.updatedAt, JSON.stringify(row)],
        );
      }
      await client.end();
      const store = await open(url);
      expect(store.start.appliedMigrations).toEqual(
        MIGRATIONS.filter((migration) => migration.version >= 6).map((migration) => migration.version),
      );
      const queue = await store.publications.listReviewQueue({ stage: 'in_review', limit: 10, offset: 0 });
      expect(queue).toEqual({ items: [rows[1], rows[0]], total: 2 });
      await store.close();
    });
  });

  describe('two processes on one database', () => {
    it('run their migrations at the same time once, recorded in schema_migrations', async () => {
      const url = await server.createDatabase();
      const stores = await Promise.all([open(url), open(url), open(url)]);
      expect(stores.flatMap((store) => store.start.appliedMigrations).sort()).toEqual(
        MIGRATIONS.map((migration) => migration.version),
      );
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      await client.end();
      expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
      await Promise.all(stores.map((store) => store.close()));
    });

    it('keep one ballot per device and exact tallies across both, and tell each other about new ballots', async () => {
      const url = await server.createDatabase();
      const [a, b] = await Promise.all([open(url), open(url)]);
      const heardByB: string[] = [];
      b.tallies.onChange((campaignId) => heardByB.push(campaignId));

      const racing = Array.from({ length: 30 }, () => ballot({ deviceHash: 'one-phone', campaignId: 'shared0' }));
      const outcomes = await Promise.all(
        racing.map((item, index) => (index % 2 ? a : b).ballots.append(item, { onePerDevice: true })),
      );
      const storedIds = outcomes.flatMap((outcome) => (outcome.status === 'stored' ? [outcome.ballot.id] : []));
      expect(storedIds).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.status !== 'stored')).toEqual(
        Array(29).fill({ status: 'duplicate', ballotId: storedIds[0] }),
      );

      const burst = Array.from({ length: 400 }, (_, index) =>
        ballot({ campaignId: 'shared0', choices: [index % 3 ? 'tou-kui' : 'yan-jing'] }),
      );
      const results = await Promise.all(
        burst.map((item, index) => (index % 2 ? a : b).ballots.append(item, { onePerDevice: true })),
      );
      expect(results.every((result) => result.status === 'stored')).toBe(true);
      for (const store of [a, b]) {
        const tally = await store.tallies.get('shared0');
        expect(tally.total).toBe(401);
        // 266 of the burst plus the one stored racing ballot.
        expect(tally.candidates).toEqual({ 'tou-kui': 267, 'yan-jing': 134 });
      }
      for (let attempt = 0; !heardByB.includes('shared0') && attempt < 100; attempt += 1)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heardByB).toContain('shared0');

      // A reader following the ballots through either store sees each ballot exactly once.
      const seen: string[] = [];
      let cursor: string | null = null;
      for (;;) {
        const page: { ballots: { id: string }[]; cursor: string } = await a.ballots.readSince(cursor, 64);
        seen.push(...page.ballots.map((item) => item.id));
        cursor = page.cursor;
        if (page.ballots.length < 64) break;
      }
      expect(seen).toHaveLength(401);
      expect(new Set(seen).size).toBe(401);
      await Promise.all([a.close(), b.close()]);
    });

    it("hear each other's public changes with the shared content version, and only those", async () => {
      const url = await server.createDatabase();
      const [a, b] = await Promise.all([open(url), open(url)]);
      const heardByA: number[] = [];
      const heardByB: number[] = [];
      a.publications.onContentChange((version) => heardByA.push(version));
      b.publications.onContentChange((version) => heardByB.push(version));
      const draft = await a.publications.create(newPublication('shared'));
      await a.publications.save(draft as NonNullable<typeof draft>, 1, { publicChange: false });
      await b.publications.create(newPublication('live', { published: true }));
      const fromA = await a.publications.create(newPublication('live-too', { published: true }));
      for (let attempt = 0; (heardByA.length < 2 || heardByB.length < 2) && attempt < 250; attempt += 1)
        await new Promise((resolve) => setTimeout(resolve, 20));
      // Each hears its own change at once and the other's when NOTIFY arrives, so possibly after.
      expect([...heardByA].sort()).toEqual([1, 2]);
      expect([...heardByB].sort()).toEqual([1, 2]);
      expect(await b.publications.contentVersion()).toBe(2);
      expect(await b.publications.get((fromA as NonNullable<typeof fromA>).id)).toEqual(fromA);
      await Promise.all([a.close(), b.close()]);
    });

    it('pace a kiosk across both and share the device-cookie secret and address key', async () => {
      const url = await server.createDatabase();
      const [a, b] = await Promise.all([open(url), open(url)]);
      const now = new Date();
      expect((await a.kiosks.claimSlot('k1', now, 8)).allowed).toBe(true);
      expect((await b.kiosks.claimSlot('k1', new Date(now.getTime() + 2000), 8)).allowed).toBe(false);
      expect((await a.secrets.deviceCookieSecret()).equals(await b.secrets.deviceCookieSecret())).toBe(true);
      expect((await a.secrets.addressKeyOfDay(now)).key.equals((await b.secrets.addressKeyOfDay(now)).key)).toBe(true);
      await Promise.all([a.close(), b.close()]);
    });
  });
});
