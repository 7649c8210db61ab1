/**
 * The staff-side hardening against the real built server: the write-in queue with 10,000 groups
 * stays small and fast, login limits hold under a burst and never lock the right user out at a fresh
 * address, refused logins do not store typed secrets, the first admin's generated password lives in
 * a 0600 file (never in the output) until changed on the 修改密码 page, receipts are looked up, and
 * plan years are canonical.
 */
import { mkdtempSync, existsSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/lib/voting/log-framing';
import { startServer, type RunningServer } from '../support/server';
import { StaffClient } from './admin-client';

const CAMPAIGN = '2027-ni-dian-wo-cha';
const GROUPS = 10_000;
const NEW_PASSWORD = 'a-brand-new-staff-passphrase';

let server: RunningServer;
let adminPassword = '';

/** The ballot log as the file store writes it: 10,000 distinct write-in products, three per ballot. */
function seedBallotLog(dataDir: string): void {
  const lines: Buffer[] = [];
  for (let ballot = 0; ballot * 3 < GROUPS; ballot += 1) {
    const writeIns = [0, 1, 2]
      .map((slot) => ballot * 3 + slot)
      .filter((index) => index < GROUPS)
      .map((index) => ({ product: `测试产品${index}号`, issue: '质量问题', venue: null }));
    lines.push(
      encodeRecord({
        v: 1,
        id: `seed${String(ballot).padStart(12, '0')}`,
        campaign: CAMPAIGN,
        choices: [],
        writeIns,
        district: null,
        event: null,
        eventType: null,
        channel: 'online',
        kiosk: null,
        createdAt: new Date(Date.UTC(2027, 2, 1, 2, 0, ballot)).toISOString(),
        device: `device-${ballot}`,
      }),
    );
  }
  writeFileSync(join(dataDir, 'ballots.jsonl'), Buffer.concat(lines), { mode: 0o600 });
}

const from = (address: string) => ({ 'x-forwarded-for': address });

async function loginFrom(address: string, username: string, password: string): Promise<Response> {
  const client = new StaffClient(server.url);
  return client.request('/admin/login/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...from(address) },
    body: new URLSearchParams({ username, password }).toString(),
  });
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-hardening-'));
  seedBallotLog(dataDir);
  server = await startServer({ dataDir, env: { TRUSTED_PROXIES: '127.0.0.1', ADMIN_LOGIN_MAX_FAILURES: '5' } });
  await fetch(`${server.url}/admin/login/`);
  const file = join(dataDir, 'first-admin-password.txt');
  adminPassword = /初始密码：(\S+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
});

afterAll(async () => {
  await server?.stop();
});

describe('first admin password', () => {
  it('is written to a 0600 file in DATA_DIR, only its path printed', () => {
    const file = join(server.dataDir, 'first-admin-password.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(adminPassword.length).toBeGreaterThanOrEqual(20);
    expect(server.output()).toContain(file);
    expect(server.output()).not.toContain(adminPassword);
  });
});

describe('write-in queue with 10,000 groups', () => {
  let admin: StaffClient;

  beforeAll(async () => {
    admin = new StaffClient(server.url);
    expect((await admin.login('admin', adminPassword)).status).toBe(303);
  });

  it('renders one page under 1 MB, quickly, with page numbers', async () => {
    const started = performance.now();
    const response = await admin.request(`/admin/campaigns/${CAMPAIGN}/write-ins/`);
    const html = await response.text();
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);
    expect(elapsed).toBeLessThan(10_000);
    expect(html).toContain('共 10000 组，第 1 / 200 页');
    expect(html).toContain('?page=200');
    expect((html.match(/<option/g) ?? []).length).toBeLessThan(50 * 20);
    const last = await (await admin.request(`/admin/campaigns/${CAMPAIGN}/write-ins/?page=200`)).text();
    expect(last).toContain('第 200 / 200 页');
  });

  it('finds merge targets by a GET search, at most 20', async () => {
    const html = await (
      await admin.request(`/admin/campaigns/${CAMPAIGN}/write-ins/?q=${encodeURIComponent('测试产品9999号')}`)
    ).text();
    expect(html).toContain('找到 1 组');
    expect(html).toContain('value="w:测试产品9999号"');
    const api = (await (
      await admin.request(`/api/admin/campaigns/${CAMPAIGN}/write-ins?q=${encodeURIComponent('测试产品')}&page=2`)
    ).json()) as {
      groups: unknown[];
      mergeTargets: unknown[];
      page: number;
      totalGroups: number;
    };
    expect(api).toMatchObject({ page: 2, totalGroups: GROUPS });
    expect(api.groups).toHaveLength(50);
    expect(api.mergeTargets).toHaveLength(20);
  });

  it('the campaign page and the tally API stay bounded too', async () => {
    const page = await admin.request(`/admin/campaigns/${CAMPAIGN}/`);
    expect(page.status).toBe(200);
    expect(Buffer.byteLength(await page.text())).toBeLessThan(1_000_000);
    const tally = await admin.request(`/api/admin/campaigns/${CAMPAIGN}/tally`);
    expect(Buffer.byteLength(await tally.text())).toBeLessThan(1_000_000);
  });
});

describe('receipts', () => {
  it('confirm a ballot that was cast and say plainly (404) when none has that id', async () => {
    const real = await fetch(`${server.url}/campaigns/${CAMPAIGN}/receipt/?ballot=seed000000000001`);
    expect(real.status).toBe(200);
    expect(await real.text()).toContain('seed000000000001');
    const fake = await fetch(`${server.url}/campaigns/${CAMPAIGN}/receipt/?ballot=neverCast1234567`);
    expect(fake.status).toBe(404);
    expect(await fake.text()).toContain('没有编号为 neverCast1234567 的选票');
  });
});

describe('plan years', () => {
  // 2024 has a published plan in content/plans.
  it.each(['0x7e8', '+2024', '2024.0', '02024', '%202024'])('/plan/%s/ is a 404, not 2024', async (segment) => {
    expect((await fetch(`${server.url}/plan/2024/`)).status).toBe(200);
    expect((await fetch(`${server.url}/plan/${segment}/`)).status).toBe(404);
  });

  it.each(['0x7eb', '+2027', '2027.0'])('admin plan routes refuse %s', async (segment) => {
    const admin = new StaffClient(server.url);
    expect((await admin.login('admin', adminPassword)).status).toBe(303);
    expect((await admin.request(`/admin/plan/${segment}/`)).status).toBe(404);
    expect((await admin.request(`/admin/plan/${segment}.csv`)).status).toBe(404);
    expect((await admin.request(`/api/admin/plan/${segment}/items`)).status).toBe(404);
    expect((await admin.request('/admin/plan/2027/')).status).toBe(200);
  });
});

describe('login limits', () => {
  it('a burst of 100 concurrent wrong logins gets at most 5 password checks', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => loginFrom('10.1.0.1', 'admin', `wrong-guess-${i}-xx`)),
    );
    const statuses = answers.map((answer) => answer.status);
    // A checked wrong password answers 401, except the 5th, which answers 429 with the lock it started.
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(4);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    for (const answer of answers.filter((a) => a.status === 429))
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('the right user still logs in from a fresh address, also when typed 「Admin」', async () => {
    for (let i = 0; i < 6; i += 1) await loginFrom('10.2.0.1', 'Admin', `wrong-${i}-password`);
    expect((await loginFrom('10.2.0.1', 'admin', adminPassword)).status).toBe(429);
    expect((await loginFrom('10.2.0.2', 'Admin', adminPassword)).status).toBe(303);
  });

  it('a password typed as user name never reaches the audit log', async () => {
    const secret = 'Tr0ub4dor&3-typed-in-the-wrong-field';
    expect((await loginFrom('10.3.0.1', secret, 'whatever-password')).status).toBe(401);
    const admin = new StaffClient(server.url);
    expect((await admin.login('admin', adminPassword)).status).toBe(303);
    const audit = await (await admin.request('/api/admin/audit?limit=1000')).text();
    expect(audit).not.toContain(secret);
    expect(audit).toContain(`t…（共 ${secret.length} 个字符，非现有账号）`);
  });

  it('a flood of refused logins adds a bounded number of audit lines', async () => {
    const admin = new StaffClient(server.url);
    expect((await admin.login('admin', adminPassword)).status).toBe(303);
    const before = ((await (await admin.request('/api/admin/audit?limit=1')).json()) as { total: number }).total;
    for (let i = 0; i < 20; i += 1) await loginFrom(`10.4.${i}.1`, `nobody${i}`, 'some-wrong-password');
    const after = ((await (await admin.request('/api/admin/audit?limit=1')).json()) as { total: number }).total;
    expect(after - before).toBeLessThanOrEqual(4);
  });
});

describe('修改密码', () => {
  it('changes the own password, ends other sessions, keeps this one, deletes the first-admin file', async () => {
    const other = new StaffClient(server.url);
    expect((await other.login('admin', adminPassword)).status).toBe(303);
    const me = new StaffClient(server.url);
    expect((await me.login('admin', adminPassword)).status).toBe(303);
    const mismatch = await me.postForm('/admin/password/', {
      currentPassword: adminPassword,
      newPassword: NEW_PASSWORD,
      confirmPassword: 'something-else-entirely',
    });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('两次输入的新密码不一致');
    const wrong = await me.postForm('/admin/password/', {
      currentPassword: 'not-the-current-one',
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(400);
    const changed = await me.postForm('/admin/password/', {
      currentPassword: adminPassword,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('密码已修改');
    expect((await me.request('/api/admin/session')).status).toBe(200);
    expect((await other.request('/api/admin/session')).status).toBe(401);
    expect(existsSync(join(server.dataDir, 'first-admin-password.txt'))).toBe(false);
    expect((await loginFrom('10.5.0.1', 'admin', NEW_PASSWORD)).status).toBe(303);
    const audit = await (await me.request('/api/admin/audit?limit=50')).text();
    expect(audit).toContain('user.own-password');
  });
});
