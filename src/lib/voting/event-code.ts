/**
 * Outreach event codes: six characters people can read off a poster and type on a phone, from an
 * alphabet without look-alikes (no 0/O, 1/I/L).
 */
export const EVENT_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const EVENT_CODE_LENGTH = 6;

/** Builds a code from random bytes (one byte per character; the bias of `% 31` is irrelevant here). */
export function eventCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < EVENT_CODE_LENGTH) throw new Error('need at least 6 random bytes');
  let code = '';
  for (let index = 0; index < EVENT_CODE_LENGTH; index += 1) {
    code += EVENT_CODE_ALPHABET[(bytes[index] ?? 0) % EVENT_CODE_ALPHABET.length];
  }
  return code;
}

/** Upper-cases and checks a code typed by a person; null when it cannot be a code. */
export function normaliseEventCode(input: string): string | null {
  const code = input.trim().toUpperCase();
  if (code.length !== EVENT_CODE_LENGTH) return null;
  for (const character of code) if (!EVENT_CODE_ALPHABET.includes(character)) return null;
  return code;
}

/** Whether an event accepts ballots now: from `activeFrom` (inclusive) to `activeUntil` (exclusive). */
export function isEventActive(event: { activeFrom: string; activeUntil: string }, now: Date): boolean {
  const time = now.getTime();
  return time >= Date.parse(event.activeFrom) && time < Date.parse(event.activeUntil);
}
