/**
 * Shaping what goes into the audit log from text an anonymous visitor chose: never more than a few
 * hundred characters, never a name that is no account (a password typed into the user-name field
 * would otherwise be stored and shown), and refused logins folded into one line per key and window.
 */
import { characterCount } from '~/lib/voting/ballot-rules';
import type { NewAuditEntry } from './types';

/** Characters per field. Refused logins name an attacker-chosen target, so uncapped anyone could fill the log. */
export const AUDIT_FIELD_LIMITS = { actor: 64, action: 64, target: 128, detail: 500 } as const;

/** The text cut to `max` characters (not UTF-16 units), marked when cut. */
export function capText(text: string, max: number): string {
  if (characterCount(text) <= max) return text;
  return `${[...text].slice(0, max - 1).join('')}…`;
}

/** The entry with every text field cut to its limit: the store applies it to every entry it appends. */
export function capAuditEntry(entry: NewAuditEntry): NewAuditEntry {
  const capOrNull = (text: string | null, max: number) => (text === null ? null : capText(text, max));
  return {
    actor: capOrNull(entry.actor, AUDIT_FIELD_LIMITS.actor),
    action: capText(entry.action, AUDIT_FIELD_LIMITS.action),
    target: capOrNull(entry.target, AUDIT_FIELD_LIMITS.target),
    outcome: entry.outcome,
    detail: capOrNull(entry.detail, AUDIT_FIELD_LIMITS.detail),
  };
}

/** "p…（共 24 个字符）": enough to tell attempts apart, too little to reveal a mistyped password. */
export function maskUnknownUsername(typed: string): string {
  const first = [...typed][0] ?? '';
  return `${first}…（共 ${characterCount(typed)} 个字符，非现有账号）`;
}

/** A window of refusals of one key that has ended and had more refusals than its first, logged one. */
export interface ClosedWindow<T> {
  key: string;
  /** What the caller gave with the window's first refusal. */
  first: T;
  /** Refusals after the first, in the window. */
  more: number;
  startedAt: number;
  lastAt: number;
}

interface OpenWindow<T> {
  first: T;
  more: number;
  startedAt: number;
  lastAt: number;
}

/**
 * Refused logins per key (e.g. action + account) and fixed window. The first refusal of a key in a
 * window is written at once, so it is visible while it happens; the rest are only counted and
 * written as one summary line when the window has ended. A flood thus costs at most two lines per
 * key and window. At most `maxKeys` windows are open; the oldest is closed early beyond that.
 */
export class RefusalLedger<T> {
  readonly #open = new Map<string, OpenWindow<T>>();

  constructor(
    readonly windowMs: number,
    readonly maxKeys: number,
  ) {}

  /** Counts one refusal. `writeNow`: it is the first of its window (log it). `closed`: windows to summarise. */
  record(key: string, payload: T, nowMs: number): { writeNow: boolean; closed: ClosedWindow<T>[] } {
    const closed = this.closeEnded(nowMs);
    const open = this.#open.get(key);
    if (open) {
      open.more += 1;
      open.lastAt = nowMs;
      return { writeNow: false, closed };
    }
    this.#open.set(key, { first: payload, more: 0, startedAt: nowMs, lastAt: nowMs });
    for (const [oldestKey, oldest] of this.#open) {
      if (this.#open.size <= this.maxKeys) break;
      this.#open.delete(oldestKey);
      if (oldest.more > 0) closed.push({ key: oldestKey, ...oldest });
    }
    return { writeNow: true, closed };
  }

  /** Ends every window older than `windowMs`; returns those with refusals still to be written. */
  closeEnded(nowMs: number): ClosedWindow<T>[] {
    const closed: ClosedWindow<T>[] = [];
    // Opened in time order, so the first window still running ends the search.
    for (const [key, window] of this.#open) {
      if (nowMs - window.startedAt < this.windowMs) break;
      this.#open.delete(key);
      if (window.more > 0) closed.push({ key, ...window });
    }
    return closed;
  }
}
