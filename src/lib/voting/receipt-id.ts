/**
 * Ballot (receipt) ids people can read aloud and copy by hand: 12 characters from an alphabet
 * without look-alikes (no 0/O, no 1/I/l), in groups of four, e.g. `K7M2-QX9P-4HTW`. 60 random bits,
 * so a million ballots leave a collision chance near one in a million. Ids made before this format
 * (16 base64url characters) stay valid for lookup.
 */

/** 32 symbols, so each 5 random bits pick one without bias. */
export const RECEIPT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const GROUPS = 3;
const GROUP_LENGTH = 4;
export const RECEIPT_ID_BYTES = GROUPS * GROUP_LENGTH;

const RECEIPT_ID_PATTERN = new RegExp(`^[${RECEIPT_ALPHABET}]{4}(-[${RECEIPT_ALPHABET}]{4}){${GROUPS - 1}}$`);
const LEGACY_ID_PATTERN = /^[A-Za-z0-9_-]{16}$/;

/** The labels of what a ballot chose, in ballot order, for the receipt: candidates by name, then write-ins. */
export function receiptChoiceLabels(
  ballot: { choices: readonly string[]; writeIns: readonly { product: string }[] },
  candidates: readonly { id: string; name: string }[],
): string[] {
  const names = new Map(candidates.map((candidate) => [candidate.id, candidate.name]));
  return [
    ...ballot.choices.map((id) => names.get(id) ?? id),
    ...ballot.writeIns.map((writeIn) => `自填：${writeIn.product}`),
  ];
}

/** A receipt id from `RECEIPT_ID_BYTES` random bytes (one symbol per byte, its low 5 bits). */
export function receiptIdFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== RECEIPT_ID_BYTES) throw new Error(`a receipt id needs ${RECEIPT_ID_BYTES} random bytes`);
  const symbols = Array.from(bytes, (byte) => RECEIPT_ALPHABET[byte & 31] as string).join('');
  return symbols.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))?.join('-') ?? symbols;
}

/**
 * The id someone typed or copied, as stored: a new-format id in any case, with or without the
 * dashes or with spaces, becomes `XXXX-XXXX-XXXX`; an old id is kept exactly. Null when it can be neither.
 */
export function normaliseReceiptId(input: string): string | null {
  const trimmed = input.trim();
  if (LEGACY_ID_PATTERN.test(trimmed)) return trimmed;
  const symbols = trimmed.toUpperCase().replace(/[\s-]/g, '');
  if (symbols.length !== RECEIPT_ID_BYTES) return null;
  const grouped = symbols.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))?.join('-') ?? '';
  return RECEIPT_ID_PATTERN.test(grouped) ? grouped : null;
}
