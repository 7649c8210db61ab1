/** Helpers for the voting API tests: real HTTP against the real built server, and the real event CLI. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { testClock } from '../support/clock';
import { projectRoot } from '../support/server';
import type { Json } from '../support/json';

export const OPEN = '2027-ni-dian-wo-cha';
export const CLOSED = '2025-ni-dian-wo-cha';
export const UPCOMING = '2028-ni-dian-wo-cha';

export interface ApiAnswer {
  status: number;
  body: Json;
  headers: Headers;
}

/** A fresh device: GET the campaign and keep the cookie the server issues. */
export async function newDevice(url: string, campaign = OPEN): Promise<string> {
  const response = await fetch(`${url}/api/campaigns/${campaign}`);
  await response.arrayBuffer();
  const cookie = response.headers.get('set-cookie');
  if (!cookie) throw new Error('no device cookie issued');
  return cookie.split(';')[0] as string;
}

export async function vote(
  url: string,
  body: unknown,
  options: { campaign?: string; cookie?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const response = await fetch(`${url}/api/campaigns/${options.campaign ?? OPEN}/ballots`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      // Node's fetch sends `Sec-Fetch-Mode: cors` like a browser, so it must send Origin like one too.
      origin: url,
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the assertion message
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** A new phone: visits the ballot (which issues the device cookie), then votes with that cookie. */
export async function voteAsNewDevice(
  url: string,
  body: unknown,
  options: { campaign?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  return vote(url, body, { ...options, cookie: await newDevice(url, options.campaign) });
}

export async function tally(url: string, campaign = OPEN): Promise<Json> {
  const response = await fetch(`${url}/api/campaigns/${campaign}/tally`);
  if (!response.ok) throw new Error(`tally ${response.status}`);
  return response.json();
}

/** Runs `npm run event -- …` against a DATA_DIR (before the server starts: the CLI takes the lock). */
export function eventCli(dataDir: string, args: string[], siteUrl = 'http://127.0.0.1'): string {
  return execFileSync(
    process.execPath,
    [join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(projectRoot, 'scripts', 'event.ts'), ...args],
    {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: dataDir, SITE_URL: siteUrl },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

export function lastLine(output: string): string {
  return output.trim().split('\n').at(-1) ?? '';
}

/** ISO time with +08:00 offset `minutes` from the servers' now. */
export function shanghaiTime(minutesFromNow: number): string {
  const shifted = new Date(testClock.now().getTime() + minutesFromNow * 60_000 + 8 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}

/** Runs `tasks` with at most `limit` at a time. */
export async function pool<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}
