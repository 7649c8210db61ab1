/**
 * Several portal processes on one PostgreSQL database, as behind a load balancer: the real built
 * server twice (three times for the crash), a real PostgreSQL started by the test. One device racing
 * through both gets one ballot and the first receipt; a burst through both leaves exact tallies;
 * the projector stream of one process follows ballots cast through the other; kiosk pacing holds
 * across processes; the event and admin CLIs work while the servers run; a spreadsheet kept for its
 * column mapping on one process is mapped through the other, and after a restart; SIGKILL mid-burst
 * loses no acknowledged ballot.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/server/store/pg/migrations';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { projectRoot, startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';
import { createDraft, draftPath, pageText, upload, versionOf, xlsx } from './announcement-drafts';
import { lastLine, newDevice, OPEN, pool, shanghaiTime, tally, vote, voteAsNewDevice } from './voting-support';
import type { Json } from '../support/json';

const execFileAsync = promisify(execFile);

let postgres: PostgresServer;
let databaseUrl: string;
let a: RunningServer;
let b: RunningServer;

/**
 * `npm run <script> -- …` against the database, while the servers run. Asynchronous: a test process
 * blocked for the seconds a CLI takes cannot see the servers close its idle keep-alive sockets, and
 * its next request would go out on a socket already closed ("other side closed").
 */
async function cli(script: 'event' | 'admin', args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(projectRoot, 'scripts', `${script}.ts`),
      ...args,
    ],
    {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, SITE_URL: 'http://127.0.0.1' },
      encoding: 'utf8',
    },
  );
  return stdout;
}

function startPortal(): Promise<RunningServer> {
  return startServer({
    env: {
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '8',
      ADMIN_PASSWORD,
      RATE_LIMITS: 'off',
      KIOSK_MIN_INTERVAL_SECONDS: '30',
    },
  });
}

async function sql<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The tally as `server` reports it once it reaches `total` (tally changes travel by NOTIFY). */
async function tallyReaching(server: RunningServer, total: number): Promise<Json> {
  let current = await tally(server.url);
  for (let attempt = 0; current.total !== total && attempt < 50; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    current = await tally(server.url);
  }
  return current;
}

describe('two portal processes on one PostgreSQL database', () => {
  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase();
    [a, b] = await Promise.all([startPortal(), startPortal()]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await postgres?.stop();
  });

  it('both started on the migrated database, and exactly one created the first admin', async () => {
    const latest = Math.max(...MIGRATIONS.map((migration) => migration.version));
    expect(a.output() + b.output()).toContain(`[store] PostgreSQL（结构版本 ${latest}`);
    expect((a.output() + b.output()).match(/已用 ADMIN_PASSWORD 创建首个管理员账号/g)).toHaveLength(1);
    for (const server of [a, b])
      expect((await new StaffClient(server.url).login('admin', ADMIN_PASSWORD)).status).toBe(303);
  });

  it('one device racing through both processes stores one ballot; every other answer is 409 with its receipt', async () => {
    const cookie = await newDevice(a.url);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => vote(index % 2 ? a.url : b.url, { choices: ['tou-kui'] }, { cookie })),
    );
    const stored = answers.filter((answer) => answer.status === 201);
    expect(stored).toHaveLength(1);
    const firstId = stored[0]?.body.ballotId;
    for (const answer of answers.filter((item) => item.status !== 201)) {
      expect([answer.status, answer.body.error.code, answer.body.ballotId]).toEqual([409, 'ALREADY_VOTED', firstId]);
    }
    const rows = await sql<{ n: number }>('SELECT count(*)::int AS n FROM ballots WHERE id = $1', [firstId]);
    expect(rows[0]?.n).toBe(1);
  });

  it('a burst through both leaves exact tallies, as either process reports them', async () => {
    const before = (await tally(a.url)).total as number;
    const cookies = await pool(300, 32, (index) => newDevice(index % 2 ? a.url : b.url));
    const answers = await pool(300, 48, (index) =>
      vote(
        index % 2 ? b.url : a.url,
        { choices: [index % 3 ? 'tou-kui' : 'yan-jing', 'ran-qi-qi-ju'] },
        { cookie: cookies[index] as string },
      ),
    );
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    const counted = await sql<{ total: number; yan: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE choices ? 'yan-jing')::int AS yan FROM ballots WHERE campaign_id = $1`,
      [OPEN],
    );
    expect(counted[0]?.total).toBe(before + 300);
    for (const server of [a, b]) {
      const current = await tallyReaching(server, before + 300);
      expect(current.total).toBe(before + 300);
      const votes = Object.fromEntries(
        current.candidates.map((candidate: { id: string; votes: number }) => [candidate.id, candidate.votes]),
      );
      expect(votes['yan-jing']).toBe(counted[0]?.yan);
      expect(votes['ran-qi-qi-ju']).toBe(300);
    }
  });

  it('the projector stream of one process shows ballots cast through the other', async () => {
    const controller = new AbortController();
    const response = await fetch(`${b.url}/api/campaigns/${OPEN}/tally/stream`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextTally = async (): Promise<Json> => {
      for (;;) {
        const match = /event: tally\ndata: (.*)\n\n/.exec(buffer);
        if (match) {
          buffer = buffer.slice((match.index ?? 0) + match[0].length);
          return JSON.parse(match[1] as string);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const first = await nextTally();
    expect((await vote(a.url, { choices: ['yan-jing'] }, { cookie: await newDevice(a.url) })).status).toBe(201);
    let next = await nextTally();
    while (next.total < first.total + 1) next = await nextTally();
    expect(next.total).toBe(first.total + 1);
    controller.abort();
  });

  it('the event CLI works while the servers run, and kiosk pacing holds across processes', async () => {
    const code = lastLine(
      await cli('event', [
        'create',
        '--campaign',
        OPEN,
        '--type',
        'market',
        '--name',
        '进市场（示例菜场）',
        '--place',
        '示例菜场',
        '--date',
        shanghaiTime(0).slice(0, 10),
        '--start',
        shanghaiTime(-60),
        '--end',
        shanghaiTime(600),
      ]),
    );
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    const token = new URL(lastLine(await cli('event', ['kiosk', code]))).searchParams.get('kiosk') ?? '';
    expect(await cli('event', ['list'])).toContain(code);
    const headers = { 'x-kiosk-token': token };
    const cookie = await newDevice(a.url);
    expect((await vote(a.url, { choices: ['tou-kui'] }, { cookie, headers })).status).toBe(201);
    const tooFast = await vote(b.url, { choices: ['tou-kui'] }, { cookie, headers });
    expect([tooFast.status, tooFast.body.error.code]).toEqual([429, 'KIOSK_TOO_FAST']);
    expect(Number(tooFast.headers.get('retry-after'))).toBeGreaterThan(20);
  });

  it('the admin CLI adds an account while the servers run; it can log in through either process', async () => {
    const output = await cli('admin', ['add-user', 'zhang', '--role', 'editor']);
    const password = /初始密码（只显示这一次）：(\S+)/.exec(output)?.[1] ?? '';
    expect(password).not.toBe('');
    expect(await cli('admin', ['list'])).toMatch(/zhang\t编辑/);
    expect((await new StaffClient(b.url).login('zhang', password)).status).toBe(303);
  });

  it('a spreadsheet kept for its column mapping on one process is mapped through the other, and after a restart', async () => {
    const admin = new StaffClient(a.url);
    expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(303);
    const created = await admin.postJson('/api/admin/users', { username: 'mapping-editor', role: 'editor' });
    const { password } = (await created.json()) as { password: string };
    const onA = new StaffClient(a.url);
    expect((await onA.login('mapping-editor', password)).status).toBe(303);
    // The same session through the other process (sessions are in the database too).
    const onB = Object.assign(new StaffClient(b.url), { cookie: onA.cookie, csrfToken: onA.csrfToken });
    const sheet = (unit: string) =>
      xlsx([
        ['产品名称', '受检单位', '不合格项目'],
        ['电线丁', unit, '导体电阻'],
      ]);
    const keptOn = async (client: StaffClient, id: string, unit: string) => {
      const response = await upload(client, id, { bytes: await sheet(unit), name: '受检单位.xlsx' });
      expect(response.status).toBe(422);
      const uploadId = /name="uploadId" value="([^"]+)"/.exec(await response.text())?.[1] ?? '';
      expect(uploadId).toMatch(/^t_/);
      return uploadId;
    };
    const mapOn = async (client: StaffClient, id: string, uploadId: string) =>
      client.postForm(draftPath(id), {
        action: 'map-columns',
        version: await versionOf(client, id),
        uploadId,
        'columnHeader-2': '受检单位',
        'columnTarget-2': 'sampledUnit',
      });

    const first = await createDraft(onA);
    const firstUpload = await keptOn(onA, first, '甲五金店');
    expect((await mapOn(onB, first, firstUpload)).status).toBe(200);
    expect(await pageText(onA, first)).toContain('value="甲五金店"');
    // Used once: the mapping form cannot be sent again.
    expect((await mapOn(onA, first, firstUpload)).status).toBe(422);

    const second = await createDraft(onA);
    const secondUpload = await keptOn(onA, second, '乙五金店');
    await a.stop();
    a = await startPortal();
    const afterRestart = Object.assign(new StaffClient(a.url), { cookie: onA.cookie, csrfToken: onA.csrfToken });
    expect((await mapOn(afterRestart, second, secondUpload)).status).toBe(200);
    expect(await pageText(afterRestart, second)).toContain('value="乙五金店"');
    const left = await sql<{ n: number }>('SELECT count(*)::int AS n FROM pending_uploads');
    expect(left[0]?.n).toBe(0);
  });

  it('SIGKILL of one process mid-burst loses no acknowledged ballot; the other counts every stored one', async () => {
    const victim = await startPortal();
    const acknowledged: string[] = [];
    let killed = false;
    await pool(1500, 48, async () => {
      if (killed) return;
      try {
        const answer = await voteAsNewDevice(victim.url, { choices: ['dian-xian-dian-lan'] });
        if (answer.status === 201) {
          acknowledged.push(answer.body.ballotId);
          if (acknowledged.length === 300 && !killed) {
            killed = true;
            victim.process.kill('SIGKILL');
          }
        }
      } catch {
        // refused or reset by the kill: never acknowledged
      }
    });
    await victim.kill();
    expect(killed).toBe(true);
    const rows = await sql<{ id: string }>('SELECT id FROM ballots WHERE id = ANY($1)', [acknowledged]);
    expect(rows).toHaveLength(acknowledged.length);
    const [{ total } = { total: -1 }] = await sql<{ total: number }>(
      'SELECT count(*)::int AS total FROM ballots WHERE campaign_id = $1',
      [OPEN],
    );
    expect((await tallyReaching(a, total)).total).toBe(total);
    await victim.stop();
  });
});
