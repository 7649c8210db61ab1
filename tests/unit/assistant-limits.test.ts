import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BoundedQueue } from '../../src/lib/assistant/limits';
import { AssistantRequestError, LIMITS, parseAssistantRequest, trimHistory } from '../../src/lib/assistant/request';
import { AssistantLog, envLogSetting } from '../../src/server/assistant/log';

const codeOf = (body: unknown) => {
  try {
    parseAssistantRequest(body);
    return 'OK';
  } catch (error) {
    return error instanceof AssistantRequestError ? error.code : 'THROWN';
  }
};

describe('request limits', () => {
  test('accepts a question with history', () => {
    expect(parseAssistantRequest({ question: ' 头盔 ', history: [{ role: 'user', content: '你好' }] })).toEqual({
      question: '头盔',
      history: [{ role: 'user', content: '你好' }],
    });
  });

  test('names each problem', () => {
    expect(codeOf({ question: '   ' })).toBe('EMPTY_QUESTION');
    expect(codeOf({ question: '问'.repeat(LIMITS.questionChars + 1) })).toBe('QUESTION_TOO_LONG');
    expect(codeOf({ question: '问'.repeat(LIMITS.questionChars) })).toBe('OK');
    expect(codeOf({ question: 'x', history: [{ role: 'user', content: '长'.repeat(LIMITS.historyChars + 1) }] })).toBe(
      'HISTORY_TOO_LONG',
    );
    expect(codeOf({ question: 'x', history: Array.from({ length: 21 }, () => ({ role: 'user', content: 'a' })) })).toBe(
      'HISTORY_TOO_LONG',
    );
    expect(codeOf({ question: 'x', history: [{ role: 'system', content: 'a' }] })).toBe('INVALID_REQUEST');
    expect(codeOf({ q: 'x' })).toBe('INVALID_REQUEST');
  });

  test('takes the page the chat sits on only as a bounded site path', () => {
    expect(
      parseAssistantRequest({ question: '头盔', page: '/announcements/2020-shang-hai-shi-er-tong-yun-dong-tou-kui/' })
        .page,
    ).toBe('/announcements/2020-shang-hai-shi-er-tong-yun-dong-tou-kui/');
    expect(parseAssistantRequest({ question: '头盔' })).not.toHaveProperty('page');
    expect(codeOf({ question: '头盔', page: 'https://evil.example/' })).toBe('INVALID_REQUEST');
    expect(codeOf({ question: '头盔', page: '/search/?q=我家住在' })).toBe('INVALID_REQUEST');
    expect(codeOf({ question: '头盔', page: `/${'a'.repeat(LIMITS.pageChars)}` })).toBe('INVALID_REQUEST');
    expect(codeOf({ question: '头盔', page: 42 })).toBe('INVALID_REQUEST');
  });

  test('counts characters as people do, not UTF-16 units', () => {
    expect(codeOf({ question: '😀'.repeat(LIMITS.questionChars) })).toBe('OK');
  });

  test('the island keeps the most recent turns that fit', () => {
    const turns = Array.from({ length: 30 }, (_, i) => ({ role: 'user' as const, content: `${i}`.padEnd(300, '。') }));
    const kept = trimHistory(turns);
    expect(kept.length).toBe(13);
    expect(kept.at(-1)).toBe(turns.at(-1));
    expect(codeOf({ question: 'x', history: kept })).toBe('OK');
  });
});

describe('bounded queue', () => {
  test('runs at most `concurrency`, queues at most `queue`, refuses beyond', async () => {
    const queue = new BoundedQueue(1, 1);
    const first = await queue.acquire();
    expect(first).not.toBeNull();
    const second = queue.acquire();
    expect(await queue.acquire()).toBeNull();
    expect(queue.queued).toBe(1);
    first!();
    const granted = await second;
    expect(granted).not.toBeNull();
    expect(queue.active).toBe(1);
    granted!();
    expect(queue.active).toBe(0);
  });

  test('a waiting caller that gives up leaves the queue', async () => {
    const queue = new BoundedQueue(1, 1);
    const release = await queue.acquire();
    const abort = new AbortController();
    const waiting = queue.acquire(abort.signal);
    abort.abort();
    expect(await waiting).toBeNull();
    expect(queue.queued).toBe(0);
    release!();
    expect(queue.active).toBe(0);
  });
});

describe('anonymous log', () => {
  test('writes one file per day without addresses, and deletes old days', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'assistant-log-'));
    try {
      writeFileSync(join(folder, '2026-01-01.jsonl'), '{}\n');
      writeFileSync(join(folder, '2026-01-09.jsonl'), '{}\n');
      const log = new AssistantLog(folder, envLogSetting('on'), 7, () => new Date('2026-01-10T08:30:45Z'));
      await log.write({
        question: '头盔',
        mode: 'builtin',
        outcome: 'answered',
        sources: ['/recalls/a/'],
        latencyMs: 3,
      });
      expect(readdirSync(folder).sort()).toEqual(['2026-01-09.jsonl', '2026-01-10.jsonl']);
      const line = JSON.parse(readFileSync(join(folder, '2026-01-10.jsonl'), 'utf8'));
      expect(line).toEqual({
        time: '2026-01-10T08:30Z',
        question: '头盔',
        mode: 'builtin',
        outcome: 'answered',
        sources: ['/recalls/a/'],
        latencyMs: 3,
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('writes nothing when switched off', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'assistant-log-'));
    try {
      await new AssistantLog(folder, envLogSetting('off'), 7).write({
        question: 'x',
        mode: 'builtin',
        outcome: 'answered',
        sources: [],
        latencyMs: 1,
      });
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
