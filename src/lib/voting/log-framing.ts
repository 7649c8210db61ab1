/**
 * Framing of one record in an append-only log: `<crc32 as 8 hex>` TAB `<json>` LF.
 * A record is whole only if its line ends in LF and the checksum matches the JSON bytes, so a write
 * torn by a crash (a missing LF, a half line, zeroed blocks) is recognised instead of half-parsed.
 */
import { crc32 } from 'node:zlib';

const TAB = 0x09;
const LF = 0x0a;

export function encodeRecord(record: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const frame = Buffer.allocUnsafe(json.length + 10);
  frame.write(crc32(json).toString(16).padStart(8, '0'), 0, 'latin1');
  frame[8] = TAB;
  json.copy(frame, 9);
  frame[json.length + 9] = LF;
  return frame;
}

/** One line (without its LF) checked against its checksum: the record, or null when torn or damaged. */
export function decodeLine(line: Buffer): unknown {
  if (line.length < 10 || line[8] !== TAB) return null;
  const json = line.subarray(9);
  const expected = Number.parseInt(line.toString('latin1', 0, 8), 16);
  if (!/^[0-9a-f]{8}$/.test(line.toString('latin1', 0, 8)) || crc32(json) !== expected) return null;
  try {
    return JSON.parse(json.toString('utf8'));
  } catch {
    return null;
  }
}

export interface ScanResult {
  /** Whole, valid records visited. */
  count: number;
  /** Bytes of whole, valid records from the start of the buffer. */
  validLength: number;
  /** File offset of the first bad or unterminated record, when there is one. */
  damageAt: number | null;
  /** True when a valid record follows the damage: not a torn tail but damage in the middle. */
  damageInMiddle: boolean;
}

/**
 * Visits the records of a buffer (read from file offset `baseOffset`) in order. Stops at the first
 * bad or unterminated record and reports whether any good record follows it, which decides between
 * "torn tail" (safe to cut off: it was never acknowledged) and "damaged middle" (refuse to guess).
 */
export function scanRecords(
  buffer: Buffer,
  baseOffset: number,
  visit: (record: unknown, offset: number, length: number) => void,
): ScanResult {
  let position = 0;
  let count = 0;
  while (position < buffer.length) {
    const end = buffer.indexOf(LF, position);
    if (end < 0) break;
    const record = decodeLine(buffer.subarray(position, end));
    if (record === null) break;
    visit(record, baseOffset + position, end - position + 1);
    count += 1;
    position = end + 1;
  }
  if (position >= buffer.length) return { count, validLength: position, damageAt: null, damageInMiddle: false };
  let damageInMiddle = false;
  let lineStart = buffer.indexOf(LF, position) + 1;
  while (lineStart > 0 && lineStart < buffer.length) {
    const end = buffer.indexOf(LF, lineStart);
    if (end < 0) break;
    if (decodeLine(buffer.subarray(lineStart, end)) !== null) {
      damageInMiddle = true;
      break;
    }
    lineStart = end + 1;
  }
  return { count, validLength: position, damageAt: baseOffset + position, damageInMiddle };
}
