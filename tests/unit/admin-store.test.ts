/**
 * The staff half of the storage interface on the real file store (a temp DATA_DIR): the behaviour a
 * PostgreSQL adapter must match — versions, all-or-nothing changes, sessions, the append-only audit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VersionConflictError, type PlanItemInput } from '../../src/lib/admin/types';
import { FileStore } from '../../src/server/store/file-store';

let dataDir: string;
let store: FileStore;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'admin-store-'));
  store = await FileStore.open({ dataDir, command: 'admin-store test', log: () => undefined });
});

afterEach(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const reopen = async () => {
  await store.close();
  store = await FileStore.open({ dataDir, command: 'admin-store test', log: () => undefined });
};

describe('staff accounts', () => {
  it('creates the first admin only once and refuses a taken username', async () => {
    expect(
      await store.staff.create({ username: 'admin', role: 'admin', passwordHash: 'h1' }, { onlyIfNoStaff: true }),
    ).not.toBeNull();
    expect(
      await store.staff.create({ username: 'other', role: 'admin', passwordHash: 'h2' }, { onlyIfNoStaff: true }),
    ).toBeNull();
    expect(await store.staff.create({ username: 'admin', role: 'editor', passwordHash: 'h3' })).toBeNull();
    await reopen();
    expect((await store.staff.list()).map((user) => user.username)).toEqual(['admin']);
  });

  it("a new password ends the account's sessions; a stale version changes nothing", async () => {
    const user = (await store.staff.create({ username: 'wang', role: 'editor', passwordHash: 'old' }))!;
    const at = new Date().toISOString();
    await store.sessions.create({ idHash: 's1', userId: user.id, createdAt: at, lastSeenAt: at });
    await expect(store.staff.update(user.id, user.version + 1, { passwordHash: 'new' })).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(await store.sessions.get('s1')).not.toBeNull();
    await store.staff.update(user.id, user.version, { passwordHash: 'new' });
    expect(await store.sessions.get('s1')).toBeNull();
    expect((await store.staff.get(user.id))?.version).toBe(2);
  });

  it('prunes stale sessions', async () => {
    await store.sessions.create({
      idHash: 'old',
      userId: 'u',
      createdAt: '2027-01-01T00:00:00Z',
      lastSeenAt: '2027-01-01T00:10:00Z',
    });
    await store.sessions.create({
      idHash: 'idle',
      userId: 'u',
      createdAt: '2027-01-01T08:00:00Z',
      lastSeenAt: '2027-01-01T08:00:00Z',
    });
    await store.sessions.create({
      idHash: 'live',
      userId: 'u',
      createdAt: '2027-01-01T08:00:00Z',
      lastSeenAt: '2027-01-01T09:50:00Z',
    });
    await store.sessions.prune('2027-01-01T02:00:00Z', '2027-01-01T09:30:00Z');
    expect(await store.sessions.get('old')).toBeNull();
    expect(await store.sessions.get('idle')).toBeNull();
    expect(await store.sessions.get('live')).not.toBeNull();
  });
});

describe('moderation', () => {
  it('decides several write-ins at once, or none of them when one version is stale', async () => {
    const items = [
      { key: 'b1#0', expectedVersion: 0 },
      { key: 'b2#0', expectedVersion: 0 },
    ];
    await store.moderation.decide('c', items.slice(0, 1), { status: 'approved' }, 'bob');
    await expect(
      store.moderation.decide('c', items, { status: 'rejected', reason: '重复' }, 'alice'),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect((await store.moderation.list('c')).map((record) => [record.key, record.status])).toEqual([
      ['b1#0', 'approved'],
    ]);
    await store.moderation.decide(
      'c',
      [
        { key: 'b1#0', expectedVersion: 1 },
        { key: 'b2#0', expectedVersion: 0 },
      ],
      { status: 'merged', mergedInto: { kind: 'candidate', candidateId: 'tou-kui' } },
      'alice',
    );
    await reopen();
    expect((await store.moderation.list('c')).map((record) => [record.key, record.status, record.version])).toEqual([
      ['b1#0', 'merged', 2],
      ['b2#0', 'merged', 1],
    ]);
  });
});

describe('plan items, decisions and publication', () => {
  const input: PlanItemInput = {
    year: 2027,
    category: '头盔',
    method: '监督抽查',
    quarters: [2],
    plannedBatches: 30,
    stages: ['流通'],
    reason: '得票第一',
    campaignId: 'c',
    nomination: 'c:tou-kui',
  };

  it('keeps the first of two concurrent edits and refuses the second', async () => {
    const item = await store.plan.create(input, 'alice');
    await store.plan.update(item.id, 1, { ...input, quarters: [3] }, 'bob');
    await expect(store.plan.update(item.id, 1, { ...input, quarters: [4] }, 'alice')).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    await expect(store.plan.delete(item.id, 1)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await store.plan.get(item.id)).toMatchObject({ quarters: [3], version: 2, updatedBy: 'bob' });
    await store.plan.delete(item.id, 2);
    expect(await store.plan.list({ year: 2027 })).toEqual([]);
  });

  it('sets, versions and clears a declined reason; publishes and withdraws', async () => {
    const decision = await store.plan.setNominationDecision('c', 'c:ran-qi-qi-ju', 0, '已列入专项治理', 'alice');
    expect(decision?.version).toBe(1);
    await expect(store.plan.setNominationDecision('c', 'c:ran-qi-qi-ju', 0, '别的理由', 'bob')).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    expect(await store.plan.setNominationDecision('c', 'c:ran-qi-qi-ju', 1, null, 'alice')).toBeNull();
    expect(await store.plan.listNominationDecisions('c')).toEqual([]);
    await store.outcomes.setPublished('c', true, 'alice');
    expect((await store.outcomes.list()).map((publication) => publication.campaignId)).toEqual(['c']);
    await store.outcomes.setPublished('c', false, 'alice');
    expect(await store.outcomes.list()).toEqual([]);
  });
});

describe('audit log', () => {
  it('appends, survives a restart and lists newest first with paging', async () => {
    for (const action of ['login', 'plan.create', 'logout'])
      await store.audit.append({ actor: 'alice', action, target: null, outcome: 'ok', detail: null });
    await reopen();
    const first = await store.audit.list({ limit: 2, offset: 0 });
    expect(first.total).toBe(3);
    expect(first.entries.map((entry) => entry.action)).toEqual(['logout', 'plan.create']);
    expect((await store.audit.list({ limit: 2, offset: 2 })).entries.map((entry) => entry.action)).toEqual(['login']);
  });
});

describe('ballots.readSince', () => {
  it('follows the log in batches from a cursor, never re-reading', async () => {
    for (let i = 0; i < 3; i += 1) {
      await store.ballots.append(
        {
          id: `b${i}`,
          campaignId: 'c',
          choices: ['tou-kui'],
          writeIns: i === 1 ? [{ product: '充电宝', issue: '虚标', venue: null }] : [],
          district: null,
          event: null,
          eventType: null,
          channel: 'online',
          kioskId: null,
          createdAt: new Date(Date.UTC(2027, 2, 1, 1, 0, i)).toISOString(),
          deviceHash: `d${i}`,
          addressHashOfDay: 'a',
        },
        { onePerDevice: true },
      );
    }
    const first = await store.ballots.readSince(null, 2);
    expect(first.ballots.map((ballot) => ballot.id)).toEqual(['b0', 'b1']);
    expect(first.ballots[1]?.writeIns).toEqual([{ product: '充电宝', issue: '虚标', venue: null }]);
    const second = await store.ballots.readSince(first.cursor, 2);
    expect(second.ballots.map((ballot) => ballot.id)).toEqual(['b2']);
    const third = await store.ballots.readSince(second.cursor, 2);
    expect(third).toEqual({ ballots: [], cursor: second.cursor });
  });
});
