/**
 * Starts the real built portal (`dist/server/entry.mjs`) on a free loopback port with its own
 * temporary DATA_DIR, for API, crash and end-to-end tests. Nothing here stands in for the product.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TEST_CLOCK_ENV } from './clock';

export const projectRoot = resolve(import.meta.dirname, '..', '..');
/** PORTAL_DIST_DIR lets a developer test a private build while others rebuild `dist/`. */
export const serverEntry = join(resolve(projectRoot, process.env.PORTAL_DIST_DIR ?? 'dist'), 'server', 'entry.mjs');

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** Output so far, for assertions on start-up warnings. */
  output: () => string;
  /** Graceful stop (SIGTERM), then removes the data folder unless `keepData`. */
  stop: (options?: { keepData?: boolean }) => Promise<void>;
  /** SIGKILL, as a crash: the data folder is kept for a restart. */
  kill: () => Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a data folder (after a crash, or to share state between runs). */
  dataDir?: string;
  port?: number;
  /** Resolve even if the server exits (to test a refused start). */
  allowExit?: boolean;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: run \`npm run build\` first`);
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'portal-data-'));
  let log = '';
  const child = spawn(process.execPath, [serverEntry], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      SITE_URL: `http://127.0.0.1:${port}`,
      ...TEST_CLOCK_ENV,
      // Tests vote right after fetching a device cookie; the voting tests set the minimum age themselves.
      DEVICE_COOKIE_MIN_AGE_SECONDS: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (options.allowExit) break;
      throw new Error(`server exited with ${child.exitCode ?? child.signalCode}:\n${log}`);
    }
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    dataDir,
    process: child,
    output: () => log,
    stop: async ({ keepData = false } = {}) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
