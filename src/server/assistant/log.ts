/**
 * The anonymous question log: what was asked and how it was answered, so that staff can see
 * which questions the content does not answer. One JSON-lines file per day under
 * DATA_DIR/assistant-log/, deleted after ASSISTANT_LOG_DAYS days. No address, no device id,
 * no history: nothing links a line to a person or to another line.
 */
import { appendFile, mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnswerMode, AnswerOutcome } from '~/lib/assistant/types';
import { serverClock } from '~/server/clock';

/** Whether logging is on. An interface, so that the admin switch can replace the environment variable. */
export interface AssistantLogSetting {
  isEnabled(): boolean | Promise<boolean>;
}

export const envLogSetting = (value: 'on' | 'off'): AssistantLogSetting => ({ isEnabled: () => value === 'on' });

export interface AssistantLogEntry {
  question: string;
  mode: AnswerMode;
  outcome: AnswerOutcome;
  sources: string[];
  notice?: string;
  latencyMs: number;
}

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export class AssistantLog {
  private lastPrune = 0;

  constructor(
    private readonly folder: string,
    private readonly setting: AssistantLogSetting,
    private readonly keepDays: number,
    private readonly now: () => Date = () => serverClock.now(),
  ) {}

  async write(entry: AssistantLogEntry): Promise<void> {
    if (!(await this.setting.isEnabled())) return;
    const now = this.now();
    const day = now.toISOString().slice(0, 10);
    // Minutes only: a finer time would help tie a line to a visit in a proxy's access log.
    const line = JSON.stringify({ time: `${now.toISOString().slice(0, 16)}Z`, ...entry }) + '\n';
    // Questions are people's own words: only the portal's user may read them (folder 0700, files 0600).
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    await appendFile(join(this.folder, `${day}.jsonl`), line, { encoding: 'utf8', mode: 0o600 });
    if (now.getTime() - this.lastPrune > 60 * 60 * 1000) await this.prune();
  }

  /** Deletes the files older than the retention period. */
  async prune(): Promise<string[]> {
    this.lastPrune = this.now().getTime();
    const cutoff = new Date(this.now().getTime() - this.keepDays * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      const day = DAY_FILE.exec(name)?.[1];
      if (day && day < cutoff) {
        await unlink(join(this.folder, name)).catch(() => undefined);
        removed.push(name);
      }
    }
    return removed;
  }
}
