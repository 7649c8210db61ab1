import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { AssistantLog, envLogSetting } from '../../src/server/assistant/log';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

it('keeps the question log readable by the portal only (folder 0700, files 0600)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'assistant-log-'));
  folders.push(root);
  const folder = join(root, 'assistant-log');
  const log = new AssistantLog(folder, envLogSetting('on'), 30, () => new Date('2027-03-15T02:00:00Z'));
  await log.write({ question: '头盔', mode: 'builtin', outcome: 'answered', sources: [], latencyMs: 1 });
  expect(statSync(folder).mode & 0o777).toBe(0o700);
  expect(statSync(join(folder, '2027-03-15.jsonl')).mode & 0o777).toBe(0o600);
});
