/**
 * Bounds on what the audit log accepts. Refused logins name an attacker-chosen target, so without
 * caps anyone could fill the log with long lines; and repeated refusals of one key are counted in
 * one entry per window instead of one line each.
 */
import type { NewAuditEntry } from './types';

export const AUDIT_FIELD_LIMITS = { actor: 64, action: 64, target: 128, detail: 512 } as const;

function cut(value: string, limit: number): string {
  const characters = [...value];
  return characters.length <= limit ? value : `${characters.slice(0, limit - 1).join('')}…`;
}

/** The entry with every text field cut to its limit (an ellipsis marks the cut). */
export function capAuditEntry(entry: NewAuditEntry): NewAuditEntry {
  return {
    actor: entry.actor === null ? null : cut(entry.actor, AUDIT_FIELD_LIMITS.actor),
    action: cut(entry.action, AUDIT_FIELD_LIMITS.action),
    target: entry.target === null ? null : cut(entry.target, AUDIT_FIELD_LIMITS.target),
    outcome: entry.outcome,
    detail: entry.detail === null ? null : cut(entry.detail, AUDIT_FIELD_LIMITS.detail),
  };
}

/** What to do with one refused attempt: write an entry, or only count it into the window's entry. */
export type RefusalVerdict = { record: true } | { record: false; suppressedSoFar: number };

/**
 * Counts refusals per key (e.g. action + client address) in fixed windows: the first refusal of a
 * key in a window is recorded, the rest only counted, and the count of the window that ended is
 * handed back so the caller can write one summary line ("另有 N 次"). Keys are bounded: at
 * `maxKeys` the oldest window is dropped, so the aggregator's memory stays bounded too.
 */
export class RefusalAggregator {
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #windows = new Map<string, { startedMs: number; suppressed: number }>();

  constructor(options: { windowSeconds: number; maxKeys: number }) {
    this.#windowMs = options.windowSeconds * 1000;
    this.#maxKeys = options.maxKeys;
  }

  /**
   * The verdict for a refusal of `key` at `now`, and `endedWindow`: the suppressed count of the
   * key's previous window when a new window starts with this refusal (report it once).
   */
  observe(key: string, now: Date): { verdict: RefusalVerdict; endedWindow: { suppressed: number } | null } {
    const nowMs = now.getTime();
    const window = this.#windows.get(key);
    if (window && nowMs - window.startedMs < this.#windowMs) {
      window.suppressed += 1;
      return { verdict: { record: false, suppressedSoFar: window.suppressed }, endedWindow: null };
    }
    this.#windows.delete(key);
    if (this.#windows.size >= this.#maxKeys) {
      const oldest = this.#windows.keys().next().value;
      if (oldest !== undefined) this.#windows.delete(oldest);
    }
    this.#windows.set(key, { startedMs: nowMs, suppressed: 0 });
    return {
      verdict: { record: true },
      endedWindow: window && window.suppressed > 0 ? { suppressed: window.suppressed } : null,
    };
  }
}
