/**
 * npm run bench:votes — ballots per second and latency of the real built server, against a bare
 * node:http server answering the same requests (same bodies, same client, same run), then tally reads
 * and start-up time with 1,000,000 stored ballots.
 *
 *   BENCH_VOTERS=2000 BENCH_CONCURRENCY=64 BENCH_STORED=1000000 npm run bench:votes
 *
 * Every ballot is acknowledged only after fdatasync (group commit), so the figure is durable
 * ballots/s. Rate limits are off (RATE_LIMITS=off) because one loopback client is one "address".
 * Target: ballots/s ≥ 25% of the bare server's req/s; GET tally p50/p99 < 5 ms at 1M ballots.
 * The portal and the bare server are measured in turn, 3 times (BENCH_RUNS); every run is printed
 * with its ratio to the baseline measured beside it, and the median ratio is the figure.
 *
 *   npm run bench:votes -- --pg
 *
 * With --pg: the same voters against the file store, then against PostgreSQL (a throw-away server
 * started here, synchronous_commit and fsync on) with one portal process and with two (the client
 * sends ballot i to process i mod 2), printing ballots/s, p50/p99 and the ratio to the file store.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { encodeRecord } from '../src/lib/voting/log-framing';
import { startPostgres } from '../tests/support/postgres';
import { freePort, startServer, type RunningServer } from '../tests/support/server';

const VOTERS = Number(process.env.BENCH_VOTERS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const STORED = Number(process.env.BENCH_STORED ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CAMPAIGN = '2027-ni-dian-wo-cha';
const CANDIDATES = [
  'tou-kui',
  'yan-jing',
  'dian-xian-dian-lan',
  'yi-dong-dian-yuan',
  'cha-tou-cha-zuo',
  'dian-re-shui-hu',
];

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  ms: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          headers: res.headers,
          ms: performance.now() - started,
        }),
      );
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

async function pool<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

function ballotBody(index: number): string {
  return JSON.stringify({
    choices: [CANDIDATES[index % CANDIDATES.length], CANDIDATES[(index + 2) % CANDIDATES.length]],
    district: '青浦区',
  });
}

/** Ballot i goes to `urls[i % urls.length]`: round robin over several portal processes. */
async function runVoters(
  urls: string | string[],
  cookies: string[],
): Promise<{ perSecond: number; p50: number; p99: number; ok: number; responseBytes: number }> {
  const targets = [urls].flat();
  const started = performance.now();
  const answers = await pool(cookies.length, CONCURRENCY, (index) => {
    const url = targets[index % targets.length] as string;
    return send(
      url,
      'POST',
      `/api/campaigns/${CAMPAIGN}/ballots`,
      { 'content-type': 'application/json', origin: url, cookie: cookies[index] as string },
      ballotBody(index),
    );
  });
  const seconds = (performance.now() - started) / 1000;
  const ok = answers.filter((answer) => answer.status === 201);
  const latencies = ok.map((answer) => answer.ms).sort((a, b) => a - b);
  const sizes = ok.map((answer) => answer.body.length).sort((a, b) => a - b);
  return {
    perSecond: ok.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: ok.length,
    responseBytes: percentile(sizes, 50),
  };
}

/** A bare node:http server in its own process: reads the body, answers 201 with a body of the same size. */
async function startBareServer(responseBytes: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const code = `
    const http = require('node:http');
    const crypto = require('node:crypto');
    const filler = 'x'.repeat(Math.max(0, ${responseBytes} - 40));
    http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString());
        res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ ballotId: crypto.randomBytes(12).toString('base64url'), f: filler }));
      });
    }).listen(${port}, '127.0.0.1', () => console.log('ready'));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function deviceCookies(server: RunningServer, count: number): Promise<string[]> {
  return pool(count, CONCURRENCY, async () => {
    const answer = await send(server.url, 'GET', `/api/campaigns/${CAMPAIGN}`, {});
    const header = answer.headers['set-cookie'];
    return ((Array.isArray(header) ? header[0] : header) ?? '').split(';')[0] as string;
  });
}

async function generateLog(dataDir: string, count: number): Promise<number> {
  const started = performance.now();
  const out = createWriteStream(join(dataDir, 'ballots.jsonl'));
  const from = Date.parse('2027-03-01T00:00:00Z');
  const types = ['school', 'community', 'market'] as const;
  let batch: Buffer[] = [];
  for (let index = 0; index < count; index += 1) {
    const event = index % 5 === 0 ? `EVT${types[index % 3]}`.slice(0, 6).toUpperCase() : null;
    batch.push(
      encodeRecord({
        v: 1,
        id: randomBytes(12).toString('base64url'),
        campaign: CAMPAIGN,
        choices: [CANDIDATES[index % 6], CANDIDATES[(index * 7 + 1) % 6]].filter((v, i, a) => a.indexOf(v) === i),
        writeIns: index % 50 === 0 ? [{ product: '儿童水杯', issue: '有异味', venue: null }] : [],
        district: index % 3 === 0 ? '青浦区' : null,
        event,
        eventType: event ? types[index % 3] : null,
        channel: event ? 'event' : 'online',
        kiosk: null,
        createdAt: new Date(from + index * 1000).toISOString(),
        device: randomBytes(16).toString('base64url'),
      }),
    );
    if (batch.length === 10_000) {
      if (!out.write(Buffer.concat(batch))) await once(out, 'drain');
      batch = [];
    }
  }
  out.end(Buffer.concat(batch));
  await once(out, 'finish');
  return (performance.now() - started) / 1000;
}

async function timeStart(dataDir: string): Promise<{ server: RunningServer; ms: number; recovery: string }> {
  const started = performance.now();
  const server = await startServer({ dataDir, env: { RATE_LIMITS: 'off' } });
  const ms = performance.now() - started;
  return { server, ms, recovery: /\[store\][^\n]*/.exec(server.output())?.[0] ?? '' };
}

async function tallyLatency(url: string, reads: number): Promise<{ p50: number; p99: number; total: number }> {
  const latencies: number[] = [];
  let total = 0;
  for (let index = 0; index < reads; index += 1) {
    const answer = await send(url, 'GET', `/api/campaigns/${CAMPAIGN}/tally`, {});
    if (answer.status !== 200) throw new Error(`tally answered ${answer.status}`);
    latencies.push(answer.ms);
    total = JSON.parse(answer.body).total;
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), total };
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

type VoterRun = Awaited<ReturnType<typeof runVoters>>;

const row = (label: string, run: VoterRun, extra = '') =>
  `${label.padEnd(28)} ${fmt(run.perSecond).padStart(10)} ${fmt(run.p50, 2).padStart(9)} ${fmt(run.p99, 2).padStart(9)}${extra}`;

/** Warm-up, then VOTERS ballots from fresh devices, round robin over `servers`. */
async function measure(servers: RunningServer[]): Promise<VoterRun> {
  const urls = servers.map((server) => server.url);
  await runVoters(urls, await deviceCookies(servers[0] as RunningServer, 200));
  return runVoters(urls, await deviceCookies(servers[0] as RunningServer, VOTERS));
}

async function benchPostgres(): Promise<void> {
  console.log(`bench:votes --pg — ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}, Node ${process.version}`);
  console.log(
    `${VOTERS} voters, concurrency ${CONCURRENCY}, each with its own device cookie; acknowledged after fdatasync (file) or COMMIT (PostgreSQL, synchronous_commit on, fsync on)\n`,
  );
  const fileServer = await startServer({ env: { RATE_LIMITS: 'off' } });
  let file: VoterRun;
  try {
    file = await measure([fileServer]);
  } finally {
    await fileServer.stop();
  }
  const postgres = await startPostgres();
  const results: { label: string; run: VoterRun }[] = [];
  try {
    for (const processes of [1, 2]) {
      const env = { RATE_LIMITS: 'off', DATABASE_URL: await postgres.createDatabase() };
      const servers = await Promise.all(Array.from({ length: processes }, () => startServer({ env })));
      try {
        results.push({
          label: `PostgreSQL, ${processes} process${processes > 1 ? 'es' : ''}`,
          run: await measure(servers),
        });
      } finally {
        await Promise.all(servers.map((server) => server.stop()));
      }
    }
  } finally {
    await postgres.stop();
  }
  console.log(`${''.padEnd(28)} accepted/s    p50 ms    p99 ms   vs file store`);
  console.log(row('file store, 1 process', file, '   100.0 %'));
  for (const { label, run } of results)
    console.log(
      row(
        label,
        run,
        `   ${fmt((run.perSecond / file.perSecond) * 100).padStart(5)} %   (${run.ok}/${VOTERS} accepted)`,
      ),
    );
  console.log(
    '\nAll processes share this machine (and PostgreSQL runs on it too); on separate machines a second process adds its own CPU.',
  );
  agent.destroy();
}

/** One run: the portal on a fresh DATA_DIR, then the bare server with a response of the same size. */
async function portalBesideBaseline(): Promise<{ real: VoterRun; baseline: VoterRun }> {
  const server = await startServer({ env: { RATE_LIMITS: 'off' } });
  let real: VoterRun;
  try {
    real = await measure([server]);
  } finally {
    await server.stop();
  }
  const bare = await startBareServer(real.responseBytes);
  try {
    const fakeCookies = Array.from({ length: VOTERS }, (_, index) => `ndwc_device=${index}`);
    await runVoters(bare.url, fakeCookies.slice(0, 200));
    return { real, baseline: await runVoters(bare.url, fakeCookies) };
  } finally {
    await bare.stop();
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--pg')) return benchPostgres();
  console.log(`bench:votes — ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}, Node ${process.version}`);
  console.log(
    `${VOTERS} voters, concurrency ${CONCURRENCY}, each with its own device cookie; durable acknowledgement (fdatasync group commit)\n`,
  );

  const ratios: number[] = [];
  console.log('                            accepted/s    p50 ms    p99 ms');
  for (let run = 1; run <= RUNS; run += 1) {
    const { real, baseline } = await portalBesideBaseline();
    const ratio = real.perSecond / baseline.perSecond;
    ratios.push(ratio);
    console.log(
      row(`run ${run}: portal (durable)`, real, `   (${real.ok}/${VOTERS} accepted, response ${real.responseBytes} B)`),
    );
    console.log(row(`run ${run}: bare node:http`, baseline, `   ratio ${fmt(ratio * 100)} %`));
  }
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)] ?? NaN;
  console.log(
    `ratio portal/bare, median of ${RUNS}: ${fmt(median * 100)} %  (runs: ${ratios.map((r) => `${fmt(r * 100)} %`).join(', ')}; target ≥ 25 %: ${median >= 0.25 ? 'met' : 'NOT met'})\n`,
  );

  if (STORED > 0) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-votes-1m-'));
    try {
      const generated = await generateLog(dataDir, STORED);
      console.log(`generated ${STORED.toLocaleString('en')} ballots offline in ${fmt(generated)} s`);
      const cold = await timeStart(dataDir);
      const coldTally = await tallyLatency(cold.server.url, 2000);
      console.log(
        `start-up, no snapshot (full replay):  ${fmt(cold.ms, 0)} ms to first health answer; ${cold.recovery}`,
      );
      console.log(
        `GET tally at ${coldTally.total.toLocaleString('en')} ballots (snapshot being written): p50 ${fmt(coldTally.p50, 2)} ms, p99 ${fmt(coldTally.p99, 2)} ms (target < 5 ms: ${coldTally.p99 < 5 ? 'met' : 'NOT met'})`,
      );
      await cold.server.stop({ keepData: true });
      const warm = await timeStart(dataDir);
      console.log(
        `start-up from snapshot:               ${fmt(warm.ms, 0)} ms to first health answer; ${warm.recovery}`,
      );
      const warmTally = await tallyLatency(warm.server.url, 2000);
      console.log(
        `GET tally after snapshot start:       p50 ${fmt(warmTally.p50, 2)} ms, p99 ${fmt(warmTally.p99, 2)} ms (target < 5 ms: ${warmTally.p99 < 5 ? 'met' : 'NOT met'})`,
      );
      await warm.server.stop({ keepData: true });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  agent.destroy();
}

await main();
