/**
 * `npm run admin -- token …` on the file store (the CLI takes the data folder's lock, so it runs
 * before the server starts): a created token's secret is printed once and works against the real
 * server; a revoked one is refused; a bad scope or name is refused with the rule.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, startServer, type RunningServer } from '../support/server';

const dataDir = mkdtempSync(join(tmpdir(), 'portal-token-cli-'));
let server: RunningServer | undefined;

function admin(args: string[]) {
  const child = spawnSync(
    process.execPath,
    [join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(projectRoot, 'scripts', 'admin.ts'), ...args],
    { cwd: projectRoot, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' },
  );
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

const secretIn = (stdout: string) => /令牌（只显示这一次[^）]*）：(\S+)/.exec(stdout)?.[1] ?? '';
const idIn = (stdout: string) => /（ID ([^）]+)）/.exec(stdout)?.[1] ?? '';

afterAll(async () => {
  await server?.stop();
});

describe('npm run admin -- token', { timeout: 120_000 }, () => {
  it('creates, lists and revokes tokens; the server accepts the live one and refuses the revoked one', async () => {
    const live = admin(['token', 'create', 'jianguan', '--scope', 'drafts:create,publish']);
    expect(live.stderr).toBe('');
    expect(live.code).toBe(0);
    expect(live.stdout).toContain('已签发令牌「jianguan」');
    const liveSecret = secretIn(live.stdout);
    expect(liveSecret).toMatch(/^ndwc_/);

    const doomed = admin(['token', 'create', 'old-system', '--scope', 'drafts:create']);
    expect(admin(['token', 'revoke', idIn(doomed.stdout)]).stdout).toContain('已吊销令牌「old-system」');

    const listed = admin(['token', 'list']);
    expect(listed.stdout).toMatch(/\tjianguan\tdrafts:create,publish\t有效\t最近使用：从未使用/);
    expect(listed.stdout).toMatch(/\told-system\tdrafts:create\t已吊销/);
    expect(listed.stdout).not.toContain(liveSecret);

    expect(admin(['token', 'create', 'x', '--scope', 'admin'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('权限只能是 drafts:create、publish'),
    });
    expect(admin(['token', 'create', 'jianguan', '--scope', 'publish'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('已有名为「jianguan」的令牌在使用'),
    });
    expect(admin(['token', 'revoke', 'no-such-id'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('没有 ID'),
    });

    server = await startServer({ dataDir });
    // A server-side client: no browser headers (Node's fetch sends Sec-Fetch-Mode, as a browser does).
    const ask = (secret: string) =>
      new Promise<number>((resolve, reject) => {
        const url = `${server?.url}/api/v1/announcements/unknown`;
        get(url, { headers: { authorization: `Bearer ${secret}` } }, (answer) => {
          answer.resume();
          resolve(answer.statusCode ?? 0);
        }).on('error', reject);
      });
    // 404: the token is accepted and the announcement is simply not there.
    expect(await ask(liveSecret)).toBe(404);
    expect(await ask(secretIn(doomed.stdout))).toBe(401);
  });
});
