/**
 * `npm run migrate:lowdb-to-pg` on a file store made by the real built server (ballots with
 * write-ins, an event and a kiosk, a moderated write-in, a second account, audit entries) and
 * published content written through the file store (publications, an attachment, an API token): refused
 * while that server holds the lock, copied and verified once it stopped, refused into a database
 * that is no longer empty; then a server on PostgreSQL shows the same tallies and write-in
 * decisions, staff log in with their old passwords, the kiosk link and old device cookies still work,
 * and the publications, attachment bytes, content version and API token are the file store's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Publication } from '../../src/lib/publishing/model';
import { FileStore } from '../../src/server/store/file-store';
import { PgStore } from '../../src/server/store/pg-store';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { attachmentOf, newPublication } from '../support/store-contract';
import { projectRoot, startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';
import { eventCli, lastLine, newDevice, OPEN, shanghaiTime, tally, vote } from './voting-support';

let postgres: PostgresServer;
let databaseUrl: string;
let dataDir: string;
const running: RunningServer[] = [];

function migrateCli(): { status: number; output: string } {
  try {
    const output = execFileSync(
      process.execPath,
      [
        join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(projectRoot, 'scripts', 'migrate-lowdb-to-pg.ts'),
      ],
      {
        cwd: projectRoot,
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return { status: 0, output };
  } catch (error) {
    const failure = error as { status: number; stdout: string; stderr: string };
    return { status: failure.status, output: `${failure.stdout}${failure.stderr}` };
  }
}

describe('migrating a file store into PostgreSQL', () => {
  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'migrate-source-'));
  });

  afterAll(async () => {
    while (running.length) await running.pop()?.stop();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies everything, verified, and a server on PostgreSQL carries on where the file store stopped', async () => {
    const code = lastLine(
      eventCli(dataDir, [
        'create',
        '--campaign',
        OPEN,
        '--type',
        'school',
        '--name',
        '进校园（示例小学）',
        '--place',
        '示例小学',
        '--date',
        shanghaiTime(0).slice(0, 10),
        '--start',
        shanghaiTime(-60),
        '--end',
        shanghaiTime(600),
      ]),
    );
    const kioskToken = new URL(lastLine(eventCli(dataDir, ['kiosk', code]))).searchParams.get('kiosk') ?? '';

    const source = await startServer({ dataDir, env: { ADMIN_PASSWORD } });
    running.push(source);
    const voters: { cookie: string; ballotId: string }[] = [];
    for (let index = 0; index < 12; index += 1) {
      const cookie = await newDevice(source.url);
      const answer = await vote(
        source.url,
        {
          choices: [index % 2 ? 'tou-kui' : 'yan-jing'],
          district: '青浦区',
          ...(index % 4 === 0 ? { writeIns: [{ product: '儿童水杯', issue: '有异味' }] } : {}),
          ...(index === 5 ? { event: code } : {}),
        },
        { cookie },
      );
      expect(answer.status).toBe(201);
      voters.push({ cookie, ballotId: answer.body.ballotId });
    }
    expect(
      (await vote(source.url, { choices: ['tou-kui'] }, { headers: { 'x-kiosk-token': kioskToken } })).status,
    ).toBe(201);
    const admin = new StaffClient(source.url);
    expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(303);
    const bob = (await (await admin.postJson('/api/admin/users', { username: 'bob', role: 'editor' })).json()) as {
      password: string;
    };
    const groups = (await (await admin.request(`/api/admin/campaigns/${OPEN}/write-ins`)).json()) as {
      groups: { entries: { key: string; version: number }[] }[];
    };
    const entry = groups.groups[0]?.entries[0];
    expect(
      (
        await admin.postJson(`/api/admin/campaigns/${OPEN}/write-ins`, {
          decision: 'reject',
          reason: '与抽查无关',
          entries: [`${entry?.key}@${entry?.version}`],
        })
      ).status,
    ).toBe(200);
    const { flags } = (await (await admin.request(`/api/admin/campaigns/${OPEN}/tally`)).json()) as {
      flags: { kind: string; key: string; firstAt: string }[];
    };
    const burst = flags.find((flag) => flag.kind === 'address-burst');
    const setAside = await admin.postForm(`/admin/campaigns/${OPEN}/`, {
      action: 'set-aside',
      kind: burst?.kind ?? '',
      key: burst?.key ?? '',
      firstAt: burst?.firstAt ?? '',
      reason: '同一地址短时间内 12 张',
    });
    expect(setAside.status).toBe(200);
    const fileTally = await tally(source.url);
    expect([fileTally.total, fileTally.setAside]).toEqual([1, 12]);

    const whileRunning = migrateCli();
    expect(whileRunning.status).toBe(2);
    expect(whileRunning.output).toContain('已被另一个进程');

    await source.stop({ keepData: true });
    const content = await FileStore.open({ dataDir, command: 'test', log: () => undefined });
    const draft = (await content.publications.create(newPublication('draft'))) as Publication;
    const published = (await content.publications.create(newPublication('live', { published: true }))) as Publication;
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, index) => index % 256));
    const attachment = await content.attachments.put(attachmentOf(bytes, '检验报告.pdf'), bytes);
    const apiToken = await content.apiTokens.create({
      name: '监管系统',
      scopes: ['drafts:create'],
      createdBy: 'admin',
    });
    await content.close();

    const migrated = migrateCli();
    expect(migrated.status, migrated.output).toBe(0);
    expect(migrated.output).toMatch(/ballots\t13\t13/);
    expect(migrated.output).toMatch(/staff_users\t2\t2/);
    expect(migrated.output).toContain(`计票 ${OPEN}：13 张 一致`);
    expect(migrated.output).toMatch(/publications\t2\t2/);
    expect(migrated.output).toMatch(/attachments\t1\t1/);
    expect(migrated.output).toMatch(/api_tokens\t1\t1/);
    expect(migrated.output).toContain('内容版本：1 一致');
    expect(migrated.output).toContain('迁移完成并核对无误');
    const copied = await PgStore.open({ connectionString: databaseUrl, command: 'test', log: () => undefined });
    expect(await copied.publications.get(draft.id)).toEqual(draft);
    expect(await copied.publications.listPublic()).toEqual([published]);
    expect(await copied.publications.contentVersion()).toBe(1);
    expect((await copied.attachments.get(attachment.id))?.content.equals(bytes)).toBe(true);
    expect(await copied.apiTokens.bySecret(apiToken.secret, '2027-03-15T10:00:00+08:00')).toMatchObject({
      id: apiToken.token.id,
    });
    await copied.close();

    const again = migrateCli();
    expect(again.status).toBe(2);
    expect(again.output).toContain('目标数据库不是空的');

    const target = await startServer({ env: { DATABASE_URL: databaseUrl } });
    running.push(target);
    expect(await tally(target.url)).toEqual(fileTally);
    const staff = new StaffClient(target.url);
    expect((await staff.login('admin', ADMIN_PASSWORD)).status).toBe(303);
    expect((await new StaffClient(target.url).login('bob', bob.password)).status).toBe(303);
    const moderated = (await (await staff.request(`/api/admin/campaigns/${OPEN}/write-ins`)).json()) as {
      groups: { counts: Record<string, number> }[];
    };
    expect(moderated.groups.reduce((sum, group) => sum + (group.counts.rejected ?? 0), 0)).toBe(1);
    const audit = (await (await staff.request('/api/admin/audit')).json()) as { total: number };
    expect(audit.total).toBeGreaterThanOrEqual(4);
    // Device cookies signed before the move are still recognised: one ballot per device holds.
    const first = voters[3] as { cookie: string; ballotId: string };
    const repeat = await vote(target.url, { choices: ['tou-kui'] }, { cookie: first.cookie });
    expect([repeat.status, repeat.body.ballotId]).toEqual([409, first.ballotId]);
    expect(
      (await vote(target.url, { choices: ['tou-kui'] }, { headers: { 'x-kiosk-token': kioskToken } })).status,
    ).toBe(201);
    expect(await tally(target.url)).toMatchObject({ total: 2, setAside: 12 });
  });
});
