/**
 * Patterns worth a reviewer's look — never a reason to drop ballots silently. A sliding window per
 * key (an address hash, a kiosk, one write-in text) raises a flag when more ballots arrive within
 * `windowSeconds` than a person can cast; later ballots of the same burst extend that flag.
 */
export const FLAG_KINDS = ['address-burst', 'kiosk-burst', 'identical-write-ins'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export interface BurstRule {
  kind: FlagKind;
  windowSeconds: number;
  threshold: number;
}

/** Defaults: a person needs well over 6 s per ballot; a school hall behind one address rarely 10 a minute. */
export const DEFAULT_RULES: Record<FlagKind, BurstRule> = {
  'address-burst': { kind: 'address-burst', windowSeconds: 60, threshold: 10 },
  'kiosk-burst': { kind: 'kiosk-burst', windowSeconds: 60, threshold: 6 },
  'identical-write-ins': { kind: 'identical-write-ins', windowSeconds: 30, threshold: 5 },
};

export interface Flag {
  kind: FlagKind;
  key: string;
  firstAt: string;
  lastAt: string;
  count: number;
  /** The ballots of the burst (the first 10,000), for looking them up and setting them aside. */
  ballotIds: string[];
}

const MAX_IDS = 10_000;

export class BurstDetector {
  readonly #rule: BurstRule;
  readonly #windows = new Map<string, { times: number[]; ids: string[] }>();
  readonly #open = new Map<string, Flag>();
  readonly #flags: Flag[] = [];

  constructor(rule: BurstRule) {
    this.#rule = rule;
  }

  add(key: string, timeMs: number, ballotId: string): void {
    const windowMs = this.#rule.windowSeconds * 1000;
    let window = this.#windows.get(key);
    if (!window) {
      window = { times: [], ids: [] };
      this.#windows.set(key, window);
    }
    window.times.push(timeMs);
    window.ids.push(ballotId);
    while (window.times.length > 0 && timeMs - (window.times[0] as number) > windowMs) {
      window.times.shift();
      window.ids.shift();
    }
    if (window.times.length < this.#rule.threshold) return;
    const open = this.#open.get(key);
    if (open && timeMs - Date.parse(open.lastAt) <= windowMs) {
      open.count += 1;
      open.lastAt = new Date(timeMs).toISOString();
      if (open.ballotIds.length < MAX_IDS) open.ballotIds.push(ballotId);
      return;
    }
    const flag: Flag = {
      kind: this.#rule.kind,
      key,
      firstAt: new Date(window.times[0] as number).toISOString(),
      lastAt: new Date(timeMs).toISOString(),
      count: window.times.length,
      ballotIds: window.ids.slice(0, MAX_IDS),
    };
    this.#open.set(key, flag);
    this.#flags.push(flag);
  }

  /** Drops windows idle for longer than the window, so memory follows activity, not history. */
  prune(nowMs: number): void {
    const windowMs = this.#rule.windowSeconds * 1000;
    for (const [key, window] of this.#windows) {
      if (nowMs - (window.times.at(-1) ?? 0) > windowMs) this.#windows.delete(key);
    }
  }

  flags(): Flag[] {
    return this.#flags.map((flag) => ({ ...flag, ballotIds: [...flag.ballotIds] }));
  }
}

/** What triggered a flag, in words for the reviewer. */
export function describeFlag(flag: Flag, rule: BurstRule = DEFAULT_RULES[flag.kind]): string {
  const seconds = Math.max(1, Math.round((Date.parse(flag.lastAt) - Date.parse(flag.firstAt)) / 1000));
  switch (flag.kind) {
    case 'address-burst':
      return `同一网络地址（当日哈希 ${flag.key.slice(0, 8)}…）在 ${seconds} 秒内投出 ${flag.count} 张选票（阈值：${rule.windowSeconds} 秒内 ${rule.threshold} 张）。`;
    case 'kiosk-burst':
      return `现场投票机 ${flag.key} 在 ${seconds} 秒内投出 ${flag.count} 张选票，快于一个人完成投票所需的时间（阈值：${rule.windowSeconds} 秒内 ${rule.threshold} 张）。`;
    case 'identical-write-ins':
      return `${seconds} 秒内出现 ${flag.count} 条完全相同的自填建议「${flag.key}」（阈值：${rule.windowSeconds} 秒内 ${rule.threshold} 条）。`;
  }
}
