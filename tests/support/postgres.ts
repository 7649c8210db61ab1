/**
 * A real, throw-away PostgreSQL server for the tests (and `npm run bench:votes -- --pg`): initdb on a
 * temporary folder, pg_ctl start on a free loopback port with its socket in that folder, one database
 * per scenario, and everything stopped and removed at the end.
 *
 * Binaries are looked for on PATH, in /usr/local/bin, then in /usr/lib/postgresql/<version>/bin
 * (Debian's `postgresql` package, which `.ci/run` installs when none is found). PostgreSQL refuses to
 * run as root, so as root the server runs as the `postgres` system user (or `nobody`) through
 * `runuser`, with the temporary folder owned by that user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freePort } from './server';

export interface PostgresBinaries {
  dir: string;
  initdb: string;
  pgCtl: string;
}

/** The first folder holding both initdb and pg_ctl, or null when this machine has no PostgreSQL. */
export function findPostgresBinaries(): PostgresBinaries | null {
  const versioned = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  const candidates = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/local/bin', ...versioned];
  for (const dir of candidates) {
    const initdb = join(dir, 'initdb');
    const pgCtl = join(dir, 'pg_ctl');
    if (existsSync(initdb) && existsSync(pgCtl)) return { dir, initdb, pgCtl };
  }
  return null;
}

/** Said when this machine has no PostgreSQL: the PostgreSQL tests fail rather than skip (`.ci/run` installs it). */
const NO_POSTGRES =
  '找不到 PostgreSQL：PATH、/usr/local/bin 与 /usr/lib/postgresql/*/bin 中都没有 initdb/pg_ctl（Debian 上 `apt-get install postgresql`）。';

/** The user the server runs as: ourselves, or a system user when we are root. */
function serverUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0)
      return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('以 root 运行时需要系统用户 postgres 或 nobody 来启动 PostgreSQL（PostgreSQL 拒绝以 root 运行）。');
}

export interface PostgresServer {
  port: number;
  /** Connection URL of a database on this server. */
  url: (database: string) => string;
  /** Creates an empty database and returns its URL. */
  createDatabase: (name?: string) => Promise<string>;
  /** Output of the server so far (its log file), for failure messages. */
  log: () => string;
  stop: () => Promise<void>;
}

let databaseCounter = 0;

export async function startPostgres(options: { fsync?: boolean } = {}): Promise<PostgresServer> {
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error(NO_POSTGRES);
  const user = serverUser();
  const folder = mkdtempSync(join(tmpdir(), 'portal-pg-'));
  if (user) chownSync(folder, user.uid, user.gid);
  const dataDir = join(folder, 'data');
  const logFile = join(folder, 'server.log');
  const run = (command: string, args: string[]) => {
    const [file, argv] = user ? ['runuser', ['-u', user.name, '--', command, ...args]] : [command, args];
    return execFileSync(file, argv, { cwd: folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const port = await freePort();
  let started = false;
  const stopNow = () => {
    if (started) {
      started = false;
      try {
        run(binaries.pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w']);
      } catch {
        // already gone
      }
    }
    rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  try {
    run(binaries.initdb, [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-instructions',
    ]);
    const settings = [
      `-p ${port}`,
      `-k ${folder}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=200',
      '-c shared_buffers=64MB',
      '-c synchronous_commit=on',
      `-c fsync=${options.fsync === false ? 'off' : 'on'}`,
    ];
    run(binaries.pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', settings.join(' ')]);
    started = true;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr ?? '';
    stopNow();
    throw new Error(`PostgreSQL 无法启动（${binaries.dir}）：${(error as Error).message}\n${detail}`, { cause: error });
  }
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    createDatabase: async (name) => {
      databaseCounter += 1;
      const database = name ?? `portal_test_${process.pid}_${databaseCounter}`;
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
      } finally {
        await client.end();
      }
      return url(database);
    },
    log: () => {
      try {
        return execFileSync('cat', [logFile], { encoding: 'utf8' });
      } catch {
        return '';
      }
    },
    stop: async () => {
      process.off('exit', stopNow);
      stopNow();
    },
  };
}
