/**
 * Durability on the real built server: SIGKILL in the middle of a burst loses no acknowledged
 * ballot and counts none twice; a torn last line is cut at start; a failing disk (a real EFBIG from
 * the file-size limit, set on the running server with prlimit) answers 503 and acknowledges nothing.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { newDevice, pool, tally, vote, voteAsNewDevice } from './voting-support';

const running: RunningServer[] = [];
afterEach(async () => {
  while (running.length) await running.pop()?.stop();
});

async function start(dataDir?: string): Promise<RunningServer> {
  const server = await startServer({
    env: { RATE_LIMITS: 'off', SNAPSHOT_EVERY_BALLOTS: '150' },
    ...(dataDir ? { dataDir } : {}),
  });
  running.push(server);
  return server;
}

function logLines(dataDir: string): { id: string; device: string }[] {
  return readFileSync(join(dataDir, 'ballots.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line.slice(9)));
}

describe('crash safety', () => {
  it('SIGKILL mid-burst: every acknowledged ballot survives, counted exactly once', async () => {
    const server = await start();
    const acknowledged: { ballotId: string; cookie: string }[] = [];
    let killed = false;
    const burst = pool(3000, 48, async (index) => {
      if (killed) return;
      try {
        const cookie = await newDevice(server.url);
        const answer = await vote(server.url, { choices: [index % 3 ? 'tou-kui' : 'yan-jing'] }, { cookie });
        if (answer.status === 201) {
          acknowledged.push({ ballotId: answer.body.ballotId, cookie });
          if (acknowledged.length === 400 && !killed) {
            killed = true;
            server.process.kill('SIGKILL');
          }
        }
      } catch {
        // connection refused or reset by the kill: never acknowledged
      }
    });
    await burst;
    expect(killed).toBe(true);
    await server.kill();

    const restarted = await start(server.dataDir);
    const lines = logLines(server.dataDir);
    const ids = lines.map((line) => line.id);
    expect(new Set(ids).size).toBe(ids.length);
    const stored = new Set(ids);
    for (const { ballotId } of acknowledged) expect(stored.has(ballotId)).toBe(true);
    const counted = await tally(restarted.url);
    expect(counted.total).toBe(lines.length);
    expect(counted.total).toBeGreaterThanOrEqual(acknowledged.length);
    // The device index survived too: the same devices get their first receipt back.
    for (const { ballotId, cookie } of acknowledged.slice(0, 25)) {
      const again = await vote(restarted.url, { choices: ['tou-kui'] }, { cookie });
      expect([again.status, again.body.ballotId]).toEqual([409, ballotId]);
    }
  });

  it('drops a torn last line at start and keeps serving', async () => {
    const server = await start();
    const first = await pool(10, 5, () => voteAsNewDevice(server.url, { choices: ['tou-kui'] }));
    expect(first.every((answer) => answer.status === 201)).toBe(true);
    await server.stop({ keepData: true });
    const logPath = join(server.dataDir, 'ballots.jsonl');
    const goodSize = statSync(logPath).size;
    appendFileSync(logPath, '1f2e3d4c\t{"v":1,"id":"torn","campaign":"2027-ni-di');

    const restarted = await start(server.dataDir);
    expect(restarted.output()).toContain('已截去');
    expect(statSync(logPath).size).toBe(goodSize);
    expect((await tally(restarted.url)).total).toBe(10);
    expect((await voteAsNewDevice(restarted.url, { choices: ['yan-jing'] })).status).toBe(201);
    expect((await tally(restarted.url)).total).toBe(11);
  });

  it('refuses to start on damage in the middle of the log rather than guess', async () => {
    const server = await start();
    await pool(5, 5, () => voteAsNewDevice(server.url, { choices: ['tou-kui'] }));
    await server.stop({ keepData: true });
    const logPath = join(server.dataDir, 'ballots.jsonl');
    const lines = readFileSync(logPath, 'utf8').split('\n');
    lines[1] = (lines[1] as string).replace('tou-kui', 'tou-kuI');
    writeFileSync(logPath, lines.join('\n'));
    // The snapshot (written at stop) covers the whole log, so drop it to force a full replay.
    writeFileSync(join(server.dataDir, 'tally-snapshot.txt'), 'not a snapshot');
    const refused = await startServer({ dataDir: server.dataDir, allowExit: true, env: { RATE_LIMITS: 'off' } });
    await new Promise((resolve) =>
      refused.process.exitCode !== null ? resolve(null) : refused.process.once('exit', resolve),
    );
    expect(refused.process.exitCode).toBe(1);
    expect(refused.output()).toContain('损坏');
  });

  it('a failing disk answers 503 STORE_UNAVAILABLE and acknowledges nothing it could not write', async () => {
    const server = await start();
    expect((await voteAsNewDevice(server.url, { choices: ['tou-kui'] })).status).toBe(201);
    const logPath = join(server.dataDir, 'ballots.jsonl');
    // Writes past this size fail with EFBIG (Node ignores SIGXFSZ): a real I/O error, no root needed.
    const limit = statSync(logPath).size + 4096;
    execFileSync('prlimit', [`--pid=${server.process.pid}`, `--fsize=${limit}:unlimited`]);

    const answers = await pool(200, 16, () => voteAsNewDevice(server.url, { choices: ['yan-jing'] }));
    const created = answers.filter((answer) => answer.status === 201);
    const failed = answers.filter((answer) => answer.status === 503);
    expect(created.length + failed.length).toBe(200);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.body.error.code).toBe('STORE_UNAVAILABLE');
    expect(statSync(logPath).size).toBeLessThanOrEqual(limit);
    // Only acknowledged ballots are counted, and only they are in the log.
    expect((await tally(server.url)).total).toBe(1 + created.length);
    expect(logLines(server.dataDir).length).toBe(1 + created.length);

    // When the disk recovers, so does voting, without a restart.
    execFileSync('prlimit', [`--pid=${server.process.pid}`, '--fsize=unlimited:unlimited']);
    expect((await voteAsNewDevice(server.url, { choices: ['tou-kui'] })).status).toBe(201);
    await server.kill();
    const restarted = await start(server.dataDir);
    expect((await tally(restarted.url)).total).toBe(2 + created.length);
  });
});
