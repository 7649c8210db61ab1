/**
 * Issue 10, finding 7: a burst of ballots from one address is flagged; staff set it aside from the
 * official count with a reason, the public tally says how many were set aside, the audit log has
 * both steps, and restoring counts the ballots again. Nothing is deleted from the ballot log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';
import { OPEN, pool, tally, voteAsNewDevice } from './voting-support';

const BURST = 12;
let server: RunningServer;
let admin: StaffClient;

interface Flag {
  kind: string;
  key: string;
  firstAt: string;
  count: number;
}

interface SetAsideSummary {
  id: string;
  version: number;
  ballotCount: number;
  reason: string;
  restoredAt: string | null;
}

async function review(): Promise<{ flags: Flag[]; setAsides: SetAsideSummary[]; storedTotal: number }> {
  return (await (await admin.request(`/api/admin/campaigns/${OPEN}/tally`)).json()) as never;
}

beforeAll(async () => {
  server = await startServer({ env: { ADMIN_PASSWORD } });
  admin = new StaffClient(server.url);
  expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(303);
  const answers = await pool(BURST, 4, () => voteAsNewDevice(server.url, { choices: ['tou-kui'] }));
  expect(answers.map((answer) => answer.status)).toEqual(Array(BURST).fill(201));
});

afterAll(async () => {
  await server?.stop();
});

describe('setting a flagged burst aside', () => {
  it('takes the burst out of the official count with its reason, says so in public, and restores it', async () => {
    expect(await tally(server.url)).toMatchObject({ total: BURST, setAside: 0 });
    const [flag] = (await review()).flags.filter((candidate) => candidate.kind === 'address-burst');
    expect(flag?.count).toBe(BURST);
    const fields = { action: 'set-aside', kind: flag!.kind, key: flag!.key, firstAt: flag!.firstAt };

    const withoutReason = await admin.postForm(`/admin/campaigns/${OPEN}/`, { ...fields, reason: '  ' });
    expect(withoutReason.status).toBe(400);
    expect(await withoutReason.text()).toContain('请写明剔除理由');
    expect(await tally(server.url)).toMatchObject({ total: BURST, setAside: 0 });

    const page = await admin.postForm(`/admin/campaigns/${OPEN}/`, { ...fields, reason: '同一地址 1 分钟内 12 张' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`已将 ${BURST} 张选票从正式计数中剔除`);
    expect(html).toContain('data-testid="flag-set-aside"');

    const official = await tally(server.url);
    expect(official).toMatchObject({ total: 0, setAside: BURST });
    expect((official as { candidates: { id: string; votes: number }[] }).candidates).toContainEqual(
      expect.objectContaining({ id: 'tou-kui', votes: 0 }),
    );
    const again = await admin.postForm(`/admin/campaigns/${OPEN}/`, { ...fields, reason: '再剔除一次' });
    expect(again.status).toBe(409);
    expect((await tally(server.url)).setAside).toBe(BURST);

    const { setAsides, storedTotal } = await review();
    expect(storedTotal).toBe(BURST);
    expect(setAsides).toEqual([expect.objectContaining({ ballotCount: BURST, reason: '同一地址 1 分钟内 12 张' })]);
    const [setAside] = setAsides;
    const stale = await admin.postForm(`/admin/campaigns/${OPEN}/`, {
      action: 'restore-set-aside',
      setAsideId: setAside!.id,
      version: String(setAside!.version + 1),
    });
    expect(stale.status).toBe(409);
    const restored = await admin.postForm(`/admin/campaigns/${OPEN}/`, {
      action: 'restore-set-aside',
      setAsideId: setAside!.id,
      version: String(setAside!.version),
    });
    expect(restored.status).toBe(200);
    expect(await tally(server.url)).toMatchObject({ total: BURST, setAside: 0 });

    const audit = (await (await admin.request('/api/admin/audit')).json()) as { entries: { action: string }[] };
    const actions = audit.entries.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['ballots.set-aside', 'ballots.restore']));
  });

  it('refuses a set-aside from someone who is not logged in, and of a flag that does not exist', async () => {
    const anonymous = new StaffClient(server.url);
    const refused = await anonymous.postForm(`/admin/campaigns/${OPEN}/`, {
      action: 'set-aside',
      kind: 'address-burst',
      key: 'x',
      firstAt: 'y',
      reason: 'z',
    });
    expect([303, 401, 403]).toContain(refused.status);
    const missing = await admin.postForm(`/admin/campaigns/${OPEN}/`, {
      action: 'set-aside',
      kind: 'address-burst',
      key: 'no-such-address',
      firstAt: '2027-03-15T00:00:00.000Z',
      reason: '测试',
    });
    expect(missing.status).toBe(404);
    expect(await tally(server.url)).toMatchObject({ total: BURST, setAside: 0 });
  });
});
