/**
 * Store operations against the real built server and the real CLIs: revoking kiosk links (staff
 * page with CSRF, and `npm run event -- revoke-kiosk`), refusing to start on a damaged store file,
 * `npm run backup` taken while ballots arrive, then `npm run restore` and a server on the copy; and
 * the published content (publications, attachments, API tokens) carried through both.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Publication } from '../../src/lib/publishing/model';
import { FileStore } from '../../src/server/store/file-store';
import { attachmentOf, newPublication } from '../support/store-contract';
import { projectRoot, startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';
import { eventCli, lastLine, OPEN, shanghaiTime, tally, vote, voteAsNewDevice } from './voting-support';

const run = promisify(execFile);
const folders: string[] = [];
const servers: RunningServer[] = [];

function folder(prefix: string): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  folders.push(path);
  return path;
}

afterAll(async () => {
  for (const server of servers) await server.stop({ keepData: true });
  for (const path of folders) rmSync(path, { recursive: true, force: true });
});

async function start(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer({ dataDir, env: { ADMIN_PASSWORD, KIOSK_MIN_INTERVAL_SECONDS: '1', ...env } });
  servers.push(server);
  return server;
}

function script(name: string, args: string[], dataDir: string): Promise<{ stdout: string; stderr: string }> {
  return run(
    process.execPath,
    [join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(projectRoot, 'scripts', name), ...args],
    {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    },
  );
}

function newKiosk(dataDir: string, code: string): { id: string; token: string } {
  const output = eventCli(dataDir, ['kiosk', code]);
  const id = /创建现场投票设备 (k_[A-Za-z0-9_-]+)/.exec(output)?.[1] ?? '';
  return { id, token: new URL(lastLine(output)).searchParams.get('kiosk') ?? '' };
}

describe('kiosk revocation', () => {
  it('stops a revoked kiosk link from casting, from the CLI and from the staff page (with CSRF, audited)', async () => {
    const dataDir = folder('store-kiosks-');
    const opens = shanghaiTime(-60);
    const code = lastLine(
      eventCli(dataDir, [
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
        opens.slice(0, 10),
        '--start',
        opens,
        '--end',
        shanghaiTime(600),
      ]),
    );
    const byCli = newKiosk(dataDir, code);
    const byStaff = newKiosk(dataDir, code);
    const untouched = newKiosk(dataDir, code);
    expect(eventCli(dataDir, ['revoke-kiosk', byCli.id])).toContain(`${byCli.id}（活动码 ${code}）已于`);

    const server = await start(dataDir);
    const kioskVote = (token: string) =>
      vote(server.url, { choices: ['tou-kui'] }, { headers: { 'x-kiosk-token': token } });
    expect((await kioskVote(byCli.token)).body.error.code).toBe('INVALID_KIOSK');
    expect((await kioskVote(byStaff.token)).status).toBe(201);

    const staff = new StaffClient(server.url);
    expect((await staff.login('admin', ADMIN_PASSWORD)).status).toBe(303);
    const page = await (await staff.request(`/admin/campaigns/${OPEN}/`)).text();
    for (const kiosk of [byCli, byStaff, untouched]) expect(page).toContain(kiosk.id);

    const withoutCsrf = await staff.request(`/admin/campaigns/${OPEN}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'revoke-kiosk', kioskId: byStaff.id }).toString(),
    });
    expect(withoutCsrf.status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await kioskVote(byStaff.token)).status).toBe(201);

    const revoked = await staff.postForm(`/admin/campaigns/${OPEN}/`, { action: 'revoke-kiosk', kioskId: byStaff.id });
    expect(revoked.status).toBe(200);
    expect(await revoked.text()).toContain('已停用该现场投票设备');
    const refused = await kioskVote(byStaff.token);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'INVALID_KIOSK']);
    expect((await kioskVote(untouched.token)).status).toBe(201);
    expect(
      (await staff.postForm(`/admin/campaigns/${OPEN}/`, { action: 'revoke-kiosk', kioskId: 'k_nope' })).status,
    ).toBe(404);

    const audit = (await (await staff.request('/api/admin/audit')).json()) as {
      entries: { action: string; target: string; outcome: string }[];
    };
    expect(audit.entries.find((entry) => entry.action === 'kiosk.revoke' && entry.outcome === 'ok')?.target).toBe(
      `${OPEN}/${byStaff.id}`,
    );
  });
});

describe('damaged store files', () => {
  it('refuses to start on a portal.json of the wrong shape, naming it, instead of making a new admin over it', async () => {
    const dataDir = folder('store-damaged-');
    writeFileSync(join(dataDir, 'portal.json'), '[]');
    const server = await startServer({ dataDir, env: { ADMIN_PASSWORD }, allowExit: true });
    servers.push(server);
    await new Promise<void>((resolve) =>
      server.process.exitCode !== null ? resolve() : server.process.once('exit', () => resolve()),
    );
    expect(server.process.exitCode).toBe(1);
    expect(server.output()).toContain(join(dataDir, 'portal.json'));
    expect(readFileSync(join(dataDir, 'portal.json'), 'utf8')).toBe('[]');
  });
});

describe('backup and restore', () => {
  it('backs up a running server while ballots arrive, restores into an empty folder only, and a server on it has the ballots and accounts', async () => {
    const dataDir = folder('store-live-');
    const server = await start(dataDir);
    const staff = new StaffClient(server.url);
    expect((await staff.login('admin', ADMIN_PASSWORD)).status).toBe(303);
    const created = (await (await staff.postJson('/api/admin/users', { username: 'bob', role: 'editor' })).json()) as {
      password: string;
    };

    let voting = true;
    let acknowledged = 0;
    const voters = Array.from({ length: 6 }, async () => {
      while (voting) {
        const answer = await voteAsNewDevice(server.url, { choices: ['tou-kui'] });
        if (answer.status === 201) acknowledged += 1;
      }
    });
    while (acknowledged < 30) await new Promise((resolve) => setTimeout(resolve, 20));
    const backupDir = join(folder('store-backup-'), 'copy');
    const backup = await script('backup.ts', [backupDir], dataDir);
    const duringBackup = acknowledged;
    voting = false;
    await Promise.all(voters);
    const backedUp = Number(/(\d+) 张选票/.exec(backup.stdout)?.[1]);
    expect(backedUp).toBeGreaterThanOrEqual(30);
    expect(backedUp).toBeLessThanOrEqual(duringBackup);
    expect(JSON.parse(readFileSync(join(backupDir, 'backup-manifest.json'), 'utf8')).campaignTotals[OPEN]).toBe(
      backedUp,
    );
    await server.stop({ keepData: true });

    await expect(script('restore.ts', [backupDir], dataDir)).rejects.toMatchObject({
      stderr: expect.stringContaining('不是空的'),
    });
    const restoredDir = join(folder('store-restored-'), 'data');
    expect((await script('restore.ts', [backupDir], restoredDir)).stdout).toContain(`${backedUp} 张选票，2 个账号`);

    const restored = await start(restoredDir);
    expect((await tally(restored.url)).total).toBe(backedUp);
    expect((await new StaffClient(restored.url).login('bob', created.password)).status).toBe(303);
    expect((await voteAsNewDevice(restored.url, { choices: ['yan-jing'] })).status).toBe(201);
  });

  it('carries publications, attachments and API tokens, and refuses an attachment changed in the backup', async () => {
    const dataDir = folder('store-content-');
    const source = await FileStore.open({ dataDir, command: 'test', log: () => undefined });
    const draft = (await source.publications.create(newPublication('draft'))) as Publication;
    const published = (await source.publications.create(newPublication('live', { published: true }))) as Publication;
    const content = Buffer.from('%PDF-1.7\n示例附件\n%%EOF\n');
    const attachment = await source.attachments.put(attachmentOf(content), content);
    const { token, secret } = await source.apiTokens.create({
      name: '监管系统',
      scopes: ['publish'],
      createdBy: 'alice',
    });
    await source.close();

    const backupDir = join(folder('store-content-backup-'), 'copy');
    expect((await script('backup.ts', [backupDir], dataDir)).stdout).toContain('2 条发布内容，1 个附件');
    const restoredDir = join(folder('store-content-restored-'), 'data');
    expect((await script('restore.ts', [backupDir], restoredDir)).stdout).toContain('2 条发布内容，1 个附件');
    const restored = await FileStore.open({ dataDir: restoredDir, command: 'test', log: () => undefined });
    expect(await restored.publications.get(draft.id)).toEqual(draft);
    expect(await restored.publications.bySlug('announcements', 'live')).toEqual(published);
    expect(await restored.publications.contentVersion()).toBe(1);
    expect((await restored.attachments.get(attachment.id))?.content.equals(content)).toBe(true);
    expect(await restored.apiTokens.bySecret(secret, '2026-12-01T11:00:00+08:00')).toMatchObject({ id: token.id });
    await restored.close();

    // The manifest is rewritten to match the changed bytes: only the check against the record catches it.
    const changedPath = join(backupDir, 'attachments', attachment.id);
    writeFileSync(changedPath, Buffer.from('%PDF-1.7\n别的内容\n%%EOF\n'));
    const manifestPath = join(backupDir, 'backup-manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      files: { path: string; bytes: number; sha256: string }[];
    };
    const changed = readFileSync(changedPath);
    const entry = manifest.files.find(
      (file) => file.path === `attachments/${attachment.id}`,
    ) as (typeof manifest.files)[number];
    entry.bytes = changed.length;
    entry.sha256 = createHash('sha256').update(changed).digest('hex');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    await expect(
      script('restore.ts', [backupDir], join(folder('store-content-refused-'), 'data')),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('与其记录不符'),
    });
  });
});
