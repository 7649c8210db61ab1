/**
 * One writer per DATA_DIR: an exclusive lock file holding the owner's pid. Two processes appending to
 * one log or rewriting one lowdb file would corrupt both, so a second server (or the event CLI while
 * a server runs) refuses to start. A lock left by a process that no longer exists is taken over.
 */
import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { now } from '~/server/clock';

export const LOCK_FILE = 'writer.lock';

interface LockContent {
  pid: number;
  /** Kernel start time of the process, so a recycled pid is not mistaken for the owner. */
  processStart: string | null;
  since: string;
  command: string;
}

export class StoreLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockContent,
  ) {
    super(
      `数据目录 ${dataDir} 已被另一个进程（pid ${owner.pid}，${owner.command}，自 ${owner.since} 起）占用。` +
        `同一数据目录只能有一个写入进程：请先停止它，或为本进程指定另一个 DATA_DIR。`,
    );
    this.name = 'StoreLockedError';
  }
}

function processStartOf(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may contain spaces, so count from ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockContent): boolean {
  if (owner.pid === process.pid) return false; // our own earlier life (container pid 1) or a dev reload
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const start = processStartOf(owner.pid);
  return start === null || owner.processStart === null || start === owner.processStart;
}

function readOwner(path: string): LockContent | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    return typeof parsed.pid === 'number'
      ? {
          pid: parsed.pid,
          processStart: parsed.processStart ?? null,
          since: parsed.since ?? '?',
          command: parsed.command ?? '?',
        }
      : null;
  } catch {
    return null;
  }
}

export interface WriterLock {
  release(): void;
}

/** Takes the lock or throws StoreLockedError. Synchronous, so it can run before the server listens. */
export function acquireWriterLock(dataDir: string, command: string): WriterLock {
  const path = join(dataDir, LOCK_FILE);
  const content: LockContent = {
    pid: process.pid,
    processStart: processStartOf(process.pid),
    since: now().toISOString(),
    command,
  };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner && isAlive(owner)) throw new StoreLockedError(dataDir, owner);
      // Stale (dead owner) or unreadable (crash while writing it): take it over.
      unlinkSync(path);
      continue;
    }
    writeSync(fd, JSON.stringify(content));
    fsyncSync(fd);
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (readOwner(path)?.pid === process.pid) unlinkSync(path);
    };
    process.once('exit', release);
    return { release };
  }
  throw new Error(`无法获取数据目录锁 ${path}`);
}
