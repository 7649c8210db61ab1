/**
 * Stops a model's answer that repeats its system prompt (or a canary planted in it), however it
 * was talked into it. Matching is on overlapping pieces of the prompt with spaces and punctuation
 * removed; phrases the assistant also says in public (the 12315 advice, the labels) do not count.
 */
import {
  AI_LABEL,
  BUILTIN_LABEL,
  INJECTION_ANSWER,
  NOT_FOUND_ANSWER,
  OFF_TOPIC_ANSWER,
  WHERE_TO_ASK,
} from './messages';

const WINDOW = 14;

const normalise = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');

const PUBLIC_TEXT = normalise(
  [AI_LABEL, BUILTIN_LABEL, INJECTION_ANSWER, NOT_FOUND_ANSWER, OFF_TOPIC_ANSWER, WHERE_TO_ASK].join('\n'),
);

export class LeakGuard {
  private readonly pieces = new Set<string>();
  private readonly secrets: string[];

  constructor(systemPrompt: string, secrets: readonly string[] = []) {
    const prompt = normalise(systemPrompt);
    const chars = [...prompt];
    for (let i = 0; i + WINDOW <= chars.length; i++) {
      const piece = chars.slice(i, i + WINDOW).join('');
      if (!PUBLIC_TEXT.includes(piece)) this.pieces.add(piece);
    }
    this.secrets = secrets.map(normalise).filter(Boolean);
  }

  /** Normalised characters a leak must span before it is recognised: a secret or a prompt piece. */
  get span(): number {
    return Math.max(WINDOW, ...this.secrets.map((secret) => [...secret].length));
  }

  /** True when the text contains a secret or a piece of the system prompt. */
  leaks(text: string): boolean {
    const normalised = normalise(text);
    if (this.secrets.some((secret) => normalised.includes(secret))) return true;
    const chars = [...normalised];
    for (let i = 0; i + WINDOW <= chars.length; i++) {
      if (this.pieces.has(chars.slice(i, i + WINDOW).join(''))) return true;
    }
    return false;
  }
}

/**
 * How many raw characters at the end of a streaming answer to hold back, so that no part of a
 * leak is shown before the guard has seen it whole: enough to contain `span` characters that count.
 */
export function leakHoldBack(raw: string, guard: LeakGuard): number {
  let counted = 0;
  let i = raw.length;
  while (i > 0 && counted < guard.span) {
    i--;
    if (normalise(raw[i]!) !== '') counted++;
  }
  return raw.length - i;
}
