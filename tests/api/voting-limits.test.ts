/**
 * Rate limits and the writer lock on the real built server. Time is compressed by raising the refill
 * rate (configuration, not a switch): 500 phones of one school behind one NAT over a simulated five
 * minutes pass with zero 429s, while a script's burst from one address runs into 429s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { OPEN, pool, vote, voteAsNewDevice } from './voting-support';

/** Real time is this many times faster than the simulated hall. */
const SPEED = 30;
const schoolLimits = {
  RATE_LIMIT_BALLOTS_PER_ADDRESS_BURST: '300',
  RATE_LIMIT_BALLOTS_PER_ADDRESS_PER_MINUTE: String(180 * SPEED),
};

const running: RunningServer[] = [];
afterEach(async () => {
  while (running.length) await running.pop()?.stop();
});

async function start(env: Record<string, string>, dataDir?: string) {
  const server = await startServer({ env, ...(dataDir ? { dataDir } : {}) });
  running.push(server);
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rate limits', () => {
  it('a script without cookies gets no ballot counted, however fast it goes', async () => {
    const server = await start(schoolLimits);
    const answers = await pool(400, 32, () => vote(server.url, { choices: ['tou-kui'] }));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(0);
    // Each one is refused for its missing cookie, or (past the address's burst) by the rate limit first.
    const codes = new Set(answers.map((answer) => answer.body.error?.code));
    expect([...codes].sort()).toEqual(
      answers.length > Number(schoolLimits.RATE_LIMIT_BALLOTS_PER_ADDRESS_BURST)
        ? expect.arrayContaining(['DEVICE_COOKIE_REQUIRED'])
        : ['DEVICE_COOKIE_REQUIRED'],
    );
    expect([...codes].every((code) => code === 'DEVICE_COOKIE_REQUIRED' || code === 'RATE_LIMITED')).toBe(true);
    expect((await (await fetch(`${server.url}/api/campaigns/${OPEN}/tally`)).json()).total).toBe(0);
  });

  it('500 phones behind one school NAT within five (simulated) minutes: zero 429s', async () => {
    const server = await start(schoolLimits);
    // The worst plausible hall: 350 vote in the first minute after "please vote now", 150 trickle in.
    const schedule = Array.from({ length: 500 }, (_, index) =>
      index < 350 ? (index * 60_000) / 350 / SPEED : (60_000 + ((index - 350) * 240_000) / 150) / SPEED,
    );
    const startedAt = Date.now();
    const statuses = await Promise.all(
      schedule.map(async (at, index) => {
        await sleep(Math.max(0, at - (Date.now() - startedAt)));
        // Each phone is a new device: it opens the ballot (getting its own cookie), then votes.
        return (await voteAsNewDevice(server.url, { choices: [index % 2 ? 'tou-kui' : 'yan-jing'] })).status;
      }),
    );
    expect(statuses.filter((status) => status === 429)).toHaveLength(0);
    expect(statuses.every((status) => status === 201)).toBe(true);
  });

  it('a burst of 3,000 ballots from one address gets 429 RATE_LIMITED', async () => {
    const server = await start(schoolLimits);
    // Even with a fresh cookie per ballot (the most a script can get), one address runs into the limit.
    const answers = await pool(3000, 64, () => voteAsNewDevice(server.url, { choices: ['tou-kui'] }));
    const limited = answers.filter((answer) => answer.status === 429);
    const created = answers.filter((answer) => answer.status === 201);
    expect(limited.length).toBeGreaterThan(1000);
    expect(created.length).toBeGreaterThanOrEqual(300);
    expect(limited[0]?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  const tight = { RATE_LIMIT_BALLOTS_PER_ADDRESS_BURST: '5', RATE_LIMIT_BALLOTS_PER_ADDRESS_PER_MINUTE: '1' };

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const server = await start(tight);
    const statuses: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      statuses.push(
        (
          await voteAsNewDevice(
            server.url,
            { choices: ['tou-kui'] },
            { headers: { 'x-forwarded-for': `198.51.100.${index + 1}` } },
          )
        ).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
  });

  it('honours X-Forwarded-For from a trusted proxy', async () => {
    const server = await start({ ...tight, TRUSTED_PROXIES: '127.0.0.1/32, ::1' });
    const distinct: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      distinct.push(
        (
          await voteAsNewDevice(
            server.url,
            { choices: ['tou-kui'] },
            { headers: { 'x-forwarded-for': `198.51.100.${index + 1}` } },
          )
        ).status,
      );
    }
    expect(distinct).toEqual(Array(8).fill(201));
    const same: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      same.push(
        (
          await voteAsNewDevice(
            server.url,
            { choices: ['tou-kui'] },
            { headers: { 'x-forwarded-for': '203.0.113.50' } },
          )
        ).status,
      );
    }
    expect(same).toEqual([201, 201, 201, 201, 201, 429, 429]);
  });

  it('RATE_LIMITS=off turns limits off and says so at start', async () => {
    const server = await start({ ...tight, RATE_LIMITS: 'off' });
    const answers = await pool(20, 8, () => voteAsNewDevice(server.url, { choices: ['tou-kui'] }));
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    expect(server.output()).toContain('RATE_LIMITS=off');
  });
});

describe('one writer per DATA_DIR', () => {
  it('a second server on the same DATA_DIR refuses to start; a dead owner’s lock is taken over', async () => {
    const first = await start({});
    const second = await startServer({ dataDir: first.dataDir, allowExit: true });
    await new Promise((resolve) =>
      second.process.exitCode !== null ? resolve(null) : second.process.once('exit', resolve),
    );
    expect(second.process.exitCode).toBe(1);
    expect(second.output()).toContain('已被另一个进程');
    expect(second.output()).toContain(String(first.process.pid));
    // The first one still serves.
    expect((await voteAsNewDevice(first.url, { choices: ['tou-kui'] })).status).toBe(201);

    await first.kill();
    const third = await startServer({ dataDir: first.dataDir });
    running.push(third);
    expect((await (await fetch(`${third.url}/api/campaigns/${OPEN}/tally`)).json()).total).toBe(1);
  });
});
