/**
 * SIGTERM in the middle of a burst of ballots, against the real built server: the process exits 0,
 * every ballot it acknowledged is there after a restart on the same DATA_DIR, and no ballot was stored
 * without its answer (stored count = acknowledged count). Requests arrive on fresh connections, so
 * each one is answered, refused at connect (the server has stopped listening), or reset by the
 * kernel while still in the closed socket's accept queue (on a busy machine; the server never saw
 * it) — never cut off after the server began on it: a ballot stored is a ballot answered.
 */
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { newDevice, OPEN, pool, tally } from './voting-support';

const BALLOTS = 400;
const TERM_AFTER_ACKS = 80;

type Outcome =
  { kind: 'answered'; status: number } | { kind: 'refused' } | { kind: 'reset' } | { kind: 'lost'; error: string };

function castOnFreshConnection(server: RunningServer, cookie: string, index: number): Promise<Outcome> {
  const body = JSON.stringify({ choices: [index % 2 === 0 ? 'tou-kui' : 'yan-jing'], district: '青浦区' });
  return new Promise((resolve) => {
    let responded = false;
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: `/api/campaigns/${OPEN}/ballots`,
        agent: false,
        headers: {
          'content-type': 'application/json',
          origin: server.url,
          cookie,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        responded = true;
        res.resume();
        res.on('end', () => resolve({ kind: 'answered', status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (responded) return;
      // Refused at connect: the listening socket was closed (or reset its backlog) before accepting it.
      const refused = error.code === 'ECONNREFUSED' || (error.code === 'ECONNRESET' && error.syscall === 'connect');
      if (refused) resolve({ kind: 'refused' });
      else if (error.code === 'ECONNRESET') resolve({ kind: 'reset' });
      else resolve({ kind: 'lost', error: `${error.code ?? ''} ${error.syscall ?? ''} ${error.message}` });
    });
    req.end(body);
  });
}

let restarted: RunningServer | undefined;

afterAll(async () => {
  await restarted?.stop();
});

describe('graceful shutdown', () => {
  it('answers every accepted ballot, loses none acknowledged, and exits 0 on SIGTERM mid-burst', async () => {
    const server = await startServer({ env: { RATE_LIMITS: 'off' } });
    const cookies = await pool(BALLOTS, 32, () => newDevice(server.url));
    const exited = new Promise<number | null>((done) => server.process.once('exit', (code) => done(code)));
    let acknowledged = 0;
    const outcomes = await pool(BALLOTS, 16, async (index) => {
      const outcome = await castOnFreshConnection(server, cookies[index] as string, index);
      if (outcome.kind === 'answered' && outcome.status === 201 && ++acknowledged === TERM_AFTER_ACKS)
        server.process.kill('SIGTERM');
      return outcome;
    });
    expect(await exited).toBe(0);

    const lost = outcomes.filter((outcome) => outcome.kind === 'lost');
    expect(lost).toEqual([]);
    const answered = outcomes.filter((outcome) => outcome.kind === 'answered');
    expect(answered.every((outcome) => outcome.status === 201)).toBe(true);
    expect(acknowledged).toBeGreaterThanOrEqual(TERM_AFTER_ACKS);
    expect(outcomes.some((outcome) => outcome.kind === 'refused' || outcome.kind === 'reset')).toBe(true);
    expect(server.output()).toContain('收到 SIGTERM');

    // Nothing reset was stored: each ballot the server took up was answered, and each answer kept.
    restarted = await startServer({ dataDir: server.dataDir });
    expect((await tally(restarted.url)).total).toBe(acknowledged);
  });
});
