/**
 * The staff pages' form actions (the named handlers in src/server/admin/actions) against the real
 * built server, without JavaScript: each answers the page with its notice or its error and status,
 * and a stale version changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';
import { voteAsNewDevice } from './voting-support';

const CAMPAIGN = '2027-ni-dian-wo-cha';
let server: RunningServer;
let admin: StaffClient;

interface Account {
  id: string;
  username: string;
  version: number;
  disabledAt: string | null;
}

async function account(username: string): Promise<Account> {
  const { users } = (await (await admin.request('/api/admin/users')).json()) as { users: Account[] };
  const found = users.find((user) => user.username === username);
  if (!found) throw new Error(`no account ${username}`);
  return found;
}

const oneTimePassword = (html: string) => /data-testid="one-time-password"[^>]*>([^<]+)</.exec(html)?.[1] ?? null;

beforeAll(async () => {
  server = await startServer({ env: { ADMIN_PASSWORD } });
  admin = new StaffClient(server.url);
  expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(303);
  // A vote puts the candidate into the ranking, so the plan can adopt it.
  const ballot = await voteAsNewDevice(server.url, { choices: ['tou-kui'] }, { campaign: CAMPAIGN });
  expect(ballot.status).toBe(201);
});

afterAll(async () => {
  await server?.stop();
});

describe('the accounts page', () => {
  it('creates an account and shows its password once; a taken name is refused with what was typed', async () => {
    const created = await admin.postForm('/admin/users/', { action: 'create', username: 'carol', role: 'editor' });
    expect(created.status).toBe(200);
    const password = oneTimePassword(await created.text());
    expect(password?.length).toBeGreaterThanOrEqual(12);
    expect((await new StaffClient(server.url).login('carol', password ?? '')).status).toBe(303);

    const taken = await admin.postForm('/admin/users/', { action: 'create', username: 'carol', role: 'admin' });
    expect(taken.status).toBe(400);
    const html = await taken.text();
    expect(html).toContain('用户名「carol」已被使用。');
    expect(oneTimePassword(html)).toBeNull();
    expect(html).toMatch(/value="admin"[^>]*checked/);
  });

  it('resets a password (the old one stops working) and refuses a stale version with 409', async () => {
    const first = oneTimePassword(
      await (await admin.postForm('/admin/users/', { action: 'create', username: 'dave', role: 'editor' })).text(),
    );
    const before = await account('dave');
    const reset = await admin.postForm('/admin/users/', {
      action: 'reset-password',
      userId: before.id,
      version: String(before.version),
    });
    expect(reset.status).toBe(200);
    const password = oneTimePassword(await reset.text());
    expect(password).not.toBe(first);
    expect((await new StaffClient(server.url).login('dave', password ?? '')).status).toBe(303);
    expect((await new StaffClient(server.url).login('dave', first ?? '')).status).not.toBe(303);

    const stale = await admin.postForm('/admin/users/', {
      action: 'reset-password',
      userId: before.id,
      version: String(before.version),
    });
    expect(stale.status).toBe(409);
    expect(oneTimePassword(await stale.text())).toBeNull();
    expect((await account('dave')).version).toBe(before.version + 1);
  });

  it('disables and enables an account, but never the one in use', async () => {
    await admin.postForm('/admin/users/', { action: 'create', username: 'erin', role: 'editor' });
    const erin = await account('erin');
    const disabled = await admin.postForm('/admin/users/', {
      action: 'disable',
      userId: erin.id,
      version: String(erin.version),
    });
    expect(disabled.status).toBe(200);
    expect(await disabled.text()).toContain('已停用账号「erin」');
    expect((await account('erin')).disabledAt).not.toBeNull();

    const again = await account('erin');
    const enabled = await admin.postForm('/admin/users/', {
      action: 'enable',
      userId: again.id,
      version: String(again.version),
    });
    expect(await enabled.text()).toContain('已启用账号「erin」');
    expect((await account('erin')).disabledAt).toBeNull();

    const self = await account('admin');
    const refused = await admin.postForm('/admin/users/', {
      action: 'disable',
      userId: self.id,
      version: String(self.version),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('不能停用自己正在使用的账号。');
    expect((await account('admin')).disabledAt).toBeNull();
  });

  it('answers an unknown account with 404 and an unknown action with 400', async () => {
    const missing = await admin.postForm('/admin/users/', { action: 'disable', userId: 'u_nope', version: '1' });
    expect(missing.status).toBe(404);
    const unknown = await admin.postForm('/admin/users/', { action: 'promote', userId: 'u_nope', version: '1' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('未知的操作。');
  });
});

describe('the plan page', () => {
  it('adds, edits and deletes an item; a stale version is a 409 that keeps the item', async () => {
    const year = 2027;
    const fields = {
      source: `${CAMPAIGN}|c:tou-kui`,
      category: '儿童安全座椅',
      method: '监督抽查',
      quarters: ['2'],
      plannedBatches: '',
      reason: '群众关注',
    };
    const added = await admin.postForm(`/admin/plan/${year}/`, { action: 'create', ...fields });
    expect(added.status).toBe(200);
    expect(await added.text()).toContain('已纳入计划。');
    const items = (await (await admin.request(`/api/admin/plan/${year}/items`)).json()) as {
      items: { id: string; version: number }[];
    };
    const item = items.items[0];
    expect(item).toBeDefined();
    const { id, version } = item ?? { id: '', version: 0 };

    const edited = await admin.postForm(`/admin/plan/${year}/`, {
      action: 'update',
      id,
      version: String(version),
      ...fields,
      category: '儿童安全座椅（改）',
    });
    expect(await edited.text()).toContain('已保存修改。');

    const stale = await admin.postForm(`/admin/plan/${year}/`, { action: 'delete', id, version: String(version) });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('儿童安全座椅（改）');

    const deleted = await admin.postForm(`/admin/plan/${year}/`, {
      action: 'delete',
      id,
      version: String(version + 1),
    });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain('已删除计划条目。');
  });
});
