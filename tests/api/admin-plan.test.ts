/**
 * Tally, moderation, plan and publishing against the real built server: version conflicts answer 409
 * and change nothing, the CSV export's bytes, and the public outcome and plan pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';

const CAMPAIGN = '2027-ni-dian-wo-cha';
let server: RunningServer;
let alice: StaffClient;
let bob: StaffClient;

interface Group {
  groupKey: string;
  counts: Record<string, number>;
  entries: { key: string; version: number; status: string }[];
}

async function vote(body: unknown): Promise<void> {
  // A new device each time: a ballot counts only with the cookie a visit to the ballot issues.
  const visit = await fetch(`${server.url}/api/campaigns/${CAMPAIGN}`);
  await visit.arrayBuffer();
  const cookie = visit.headers.get('set-cookie')?.split(';')[0] ?? '';
  const response = await fetch(`${server.url}/api/campaigns/${CAMPAIGN}/ballots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, cookie },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
}

async function groups(client: StaffClient): Promise<Group[]> {
  return ((await (await client.request(`/api/admin/campaigns/${CAMPAIGN}/write-ins`)).json()) as { groups: Group[] })
    .groups;
}

const selection = (group: Group | undefined) => (group?.entries ?? []).map((entry) => `${entry.key}@${entry.version}`);

beforeAll(async () => {
  server = await startServer({ env: { ADMIN_PASSWORD } });
  alice = new StaffClient(server.url);
  expect((await alice.login('admin', ADMIN_PASSWORD)).status).toBe(303);
  const created = (await (await alice.postJson('/api/admin/users', { username: 'bob', role: 'editor' })).json()) as {
    password: string;
  };
  bob = new StaffClient(server.url);
  expect((await bob.login('bob', created.password)).status).toBe(303);
  await vote({ choices: ['tou-kui', 'yi-dong-dian-yuan'], district: '徐汇区' });
  await vote({ choices: ['tou-kui'], writeIns: [{ product: '充电宝', issue: '容量虚标' }] });
  await vote({ choices: [], writeIns: [{ product: '移动电源产品', issue: '发热' }] });
  await vote({
    choices: ['yan-jing'],
    writeIns: [
      { product: '电动车头盔', issue: '太薄' },
      { product: '儿童滑板车', issue: '刹车失灵' },
    ],
  });
  await vote({ choices: [], writeIns: [{ product: '电动自行车头盔', issue: '质量差' }] });
});

afterAll(async () => {
  await server?.stop();
});

describe('moderation', () => {
  it('groups similar write-ins', async () => {
    const keys = (await groups(alice)).map((group) => group.groupKey).sort();
    expect(keys).toEqual(['儿童滑板车', '电动自行车头盔', '移动电源'].sort());
  });

  it('a decision on a stale version answers 409 and changes nothing, not even the fresh entries', async () => {
    const power = (await groups(alice)).find((group) => group.groupKey === '移动电源');
    const seen = selection(power);
    // Bob decides one of the two first.
    const bobs = await bob.postJson(`/api/admin/campaigns/${CAMPAIGN}/write-ins`, {
      decision: 'reject',
      reason: '重复',
      entries: seen.slice(0, 1),
    });
    expect(bobs.status).toBe(200);
    const alices = await alice.postJson(`/api/admin/campaigns/${CAMPAIGN}/write-ins`, {
      decision: 'merge',
      target: 'c:yi-dong-dian-yuan',
      entries: seen,
    });
    expect(alices.status).toBe(409);
    const body = (await alices.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VERSION_CONFLICT');
    expect(body.error.message).toMatch(/其他工作人员/);
    const after = (await groups(alice)).find((group) => group.groupKey === '移动电源');
    expect(after?.counts).toEqual({ pending: 1, approved: 0, rejected: 1, merged: 0 });
  });

  it('merging counts the write-ins into the candidate once per ballot', async () => {
    const power = (await groups(alice)).find((group) => group.groupKey === '移动电源');
    const merged = await alice.postJson(`/api/admin/campaigns/${CAMPAIGN}/write-ins`, {
      decision: 'merge',
      target: 'c:yi-dong-dian-yuan',
      entries: selection(power),
    });
    expect(merged.status).toBe(200);
    const helmets = (await groups(alice)).find((group) => group.groupKey === '电动自行车头盔');
    expect(
      (
        await alice.postJson(`/api/admin/campaigns/${CAMPAIGN}/write-ins`, {
          decision: 'approve',
          entries: selection(helmets),
        })
      ).status,
    ).toBe(200);
    const tally = (await (await alice.request(`/api/admin/campaigns/${CAMPAIGN}/tally`)).json()) as {
      ranking: { nomination: string; votes: number; mergedVotes: number }[];
    };
    expect(tally.ranking.find((item) => item.nomination === 'c:yi-dong-dian-yuan')).toMatchObject({
      votes: 3,
      mergedVotes: 2,
    });
    expect(tally.ranking.find((item) => item.nomination === 'w:电动自行车头盔')).toMatchObject({ votes: 2 });
  });

  it('refuses a merge into an unknown candidate with a Chinese field message', async () => {
    const scooter = (await groups(alice)).find((group) => group.groupKey === '儿童滑板车');
    const response = await alice.postJson(`/api/admin/campaigns/${CAMPAIGN}/write-ins`, {
      decision: 'merge',
      target: 'c:no-such-thing',
      entries: selection(scooter),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/请选择要合并到/);
  });
});

describe('plan items', () => {
  const fields = {
    category: '头盔',
    method: '监督抽查',
    quarters: [2],
    plannedBatches: '30',
    stages: ['流通', '电商'],
    reason: '得票第一',
    campaignId: CAMPAIGN,
    nomination: 'c:tou-kui',
  };
  let itemId = '';

  it('adopts, then refuses a stale edit with 409 and keeps the first edit', async () => {
    const created = await alice.postJson('/api/admin/plan/2027/items', fields);
    expect(created.status).toBe(201);
    const { item } = (await created.json()) as { item: { id: string; version: number } };
    itemId = item.id;
    const bobEdit = await bob.postJson(
      `/api/admin/plan/2027/items/${itemId}`,
      { ...fields, quarters: [3], version: item.version },
      'PUT',
    );
    expect(bobEdit.status).toBe(200);
    const aliceEdit = await alice.postJson(
      `/api/admin/plan/2027/items/${itemId}`,
      { ...fields, quarters: [4], version: item.version },
      'PUT',
    );
    expect(aliceEdit.status).toBe(409);
    const stored = (await (await alice.request('/api/admin/plan/2027/items')).json()) as {
      items: { id: string; quarters: number[]; version: number }[];
    };
    expect(stored.items.find((entry) => entry.id === itemId)).toMatchObject({ quarters: [3], version: 2 });
    expect((await alice.postJson(`/api/admin/plan/2027/items/${itemId}`, { version: 1 }, 'DELETE')).status).toBe(409);
  });

  it('validates in Chinese and saves nothing on bad input', async () => {
    const response = await alice.postJson('/api/admin/plan/2027/items', {
      ...fields,
      quarters: [],
      plannedBatches: 'abc',
      nomination: 'c:tou-kui',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { fields: { field: string; message: string }[] } };
    expect(body.error.fields.map((field) => field.field)).toEqual(['quarters', 'plannedBatches']);
    const notRanked = await alice.postJson('/api/admin/plan/2027/items', { ...fields, nomination: 'w:儿童滑板车' });
    expect(notRanked.status).toBe(400);
    const stored = (await (await alice.request('/api/admin/plan/2027/items')).json()) as { items: unknown[] };
    expect(stored.items).toHaveLength(1);
  });

  it('exports CSV bytes that Excel and WPS open: BOM, CRLF, quoted, formula-guarded', async () => {
    expect(
      (
        await alice.postJson('/api/admin/plan/2027/items', {
          ...fields,
          category: '=1+2',
          quarters: [1],
          nomination: 'w:电动自行车头盔',
          reason: '@群众',
        })
      ).status,
    ).toBe(201);
    const response = await alice.request('/admin/plan/2027.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/attachment/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      '"年度","序号","产品类别","抽查方式","实施季度","计划批次","抽样环节","来源","征集活动","纳入理由","最后修改人","最后修改时间"',
    );
    expect(lines[1]).toMatch(
      /^"2027","1","'=1\+2","监督抽查","第1季度","30","流通、电商","群众点题：电动车头盔","2027-ni-dian-wo-cha","'@群众","admin",/,
    );
    expect(lines[2]).toMatch(/^"2027","2","头盔","监督抽查","第3季度","30","流通、电商","群众点题：头盔",/);
    expect(lines.at(-1)).toBe('');
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
    const json = (await (await alice.request('/admin/plan/2027.json')).json()) as {
      items: { seq: number; category: string }[];
    };
    expect(json.items.map((item) => item.category)).toEqual(['=1+2', '头盔']);
  });

  it('exports only with a session', async () => {
    const response = await fetch(`${server.url}/admin/plan/2027.csv`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(await response.text()).not.toContain('头盔');
  });
});

describe('publishing', () => {
  it("shows nothing before publishing, then each nomination's fate, and the citizens' items on the plan page", async () => {
    const before = await (await fetch(`${server.url}/campaigns/${CAMPAIGN}/outcome/`)).text();
    expect(before).toContain('点题结果尚未公布');
    expect(before).not.toContain('已纳入');
    const planBefore = await (await fetch(`${server.url}/plan/2027/`)).text();
    expect(planBefore).not.toContain('群众点题纳入');

    const declined = await alice.postForm(`/admin/campaigns/${CAMPAIGN}/`, {
      nomination: 'c:ran-qi-qi-ju',
      version: '0',
      declinedReason: '本年度已列入省级专项治理。',
    });
    expect(declined.status).toBe(200);
    expect((await alice.postForm(`/admin/campaigns/${CAMPAIGN}/`, { action: 'publish' })).status).toBe(200);

    const outcome = await (await fetch(`${server.url}/campaigns/${CAMPAIGN}/outcome/`)).text();
    expect(outcome).toContain('已纳入');
    expect(outcome).toContain('第3季度');
    expect(outcome).toContain('本年度已列入省级专项治理。');
    const plan = await (await fetch(`${server.url}/plan/2027/`)).text();
    expect(plan).toContain('群众点题纳入 2 类');
    expect(plan).toContain('群众点题');
  });
});
