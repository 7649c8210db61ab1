/**
 * Resident memory and CPU time of a process and its descendants, from Linux's /proc (null elsewhere),
 * for the benchmarks: the server's numbers include the Pagefind process it starts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

interface ProcessStat {
  ppid: number;
  /** utime + stime, and cutime + cstime (children already ended and waited for), in seconds. */
  cpu: number;
  childrenCpu: number;
}

function stat(pid: number | 'self'): ProcessStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces: state is field 3.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const at = (field: number) => Number(fields[field - 3]);
    return {
      ppid: at(4),
      cpu: (at(14) + at(15)) / TICKS_PER_SECOND,
      childrenCpu: (at(16) + at(17)) / TICKS_PER_SECOND,
    };
  } catch {
    return null; // ended while we looked
  }
}

function descendantsAndSelf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = stat(Number(name));
    if (info) children.set(info.ppid, [...(children.get(info.ppid) ?? []), Number(name)]);
  }
  const all: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop()!;
    all.push(current);
    stack.push(...(children.get(current) ?? []));
  }
  return all;
}

/** Total resident memory of the process tree (bytes). */
export function treeRss(pid: number): number | null {
  if (!existsSync('/proc')) return null;
  let total = 0;
  for (const current of descendantsAndSelf(pid)) {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${current}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // Ended.
    }
  }
  return total;
}

/** CPU seconds used so far by the process tree: the live processes and the children they have waited for. */
export function treeCpuSeconds(pid: number): number | null {
  if (!existsSync('/proc')) return null;
  let total = 0;
  for (const current of descendantsAndSelf(pid)) {
    const info = stat(current);
    if (info) total += info.cpu + info.childrenCpu;
  }
  return total;
}

/** CPU seconds of this process's children that have ended and been waited for (a finished build step). */
export function endedChildrenCpuSeconds(): number | null {
  return existsSync('/proc') ? (stat('self')?.childrenCpu ?? null) : null;
}
