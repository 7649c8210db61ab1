/**
 * Looks inside a zip (an .xlsx) before any library inflates it: its entries, whether one is
 * encrypted, and — by inflating each entry under a hard cap — that it holds no more than it
 * declares and no more than we accept. A zip bomb is refused here, at bounded memory and time.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipInspection =
  | { ok: true; entries: ZipEntry[]; texts: ReadonlyMap<string, string> }
  | { ok: false; reason: 'corrupt' | 'encrypted' | 'too_large' };

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_ENTRIES = 2000;

/** The central directory's entries, or null when the bytes are no zip this reader understands (zip64 included). */
function centralDirectory(bytes: Buffer): ZipEntry[] | null {
  const searchFrom = Math.max(0, bytes.length - (0xffff + 22));
  let eocd = -1;
  for (let at = bytes.length - 22; at >= searchFrom; at--) {
    if (bytes.readUInt32LE(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = bytes.readUInt16LE(eocd + 10);
  const offset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff || count > MAX_ENTRIES) return null;
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL_SIGNATURE) return null;
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    if (at + 46 + nameLength > bytes.length) return null;
    entries.push({
      encrypted: (bytes.readUInt16LE(at + 8) & 1) === 1,
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      uncompressedSize: bytes.readUInt32LE(at + 24),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The entry's inflated bytes, never more than `cap` (nor more than it declares: an entry that
 * inflates beyond its declared size lies about it, which is how zip bombs pass size checks).
 */
function inflateEntry(bytes: Buffer, entry: ZipEntry, cap: number): Buffer | 'corrupt' | 'too_large' {
  if (entry.uncompressedSize > cap) return 'too_large';
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL_SIGNATURE) return 'corrupt';
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) return 'corrupt';
  const data = bytes.subarray(start, end);
  if (entry.method === 0) return data.length === entry.uncompressedSize ? data : 'corrupt';
  if (entry.method !== 8) return 'corrupt';
  try {
    const inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    return inflated.length === entry.uncompressedSize ? inflated : 'corrupt';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'corrupt';
  }
}

/**
 * Checks the whole zip: every entry inflated under the remaining budget of `maxUncompressed` bytes.
 * Entries named by `keepText` are returned as text (the caller reads the workbook's parts).
 */
export function inspectZip(bytes: Buffer, maxUncompressed: number, keepText: (name: string) => boolean): ZipInspection {
  const entries = centralDirectory(bytes);
  if (!entries) return { ok: false, reason: 'corrupt' };
  if (entries.some((entry) => entry.encrypted)) return { ok: false, reason: 'encrypted' };
  const declared = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (declared > maxUncompressed) return { ok: false, reason: 'too_large' };
  const texts = new Map<string, string>();
  let budget = maxUncompressed;
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const inflated = inflateEntry(bytes, entry, budget);
    if (typeof inflated === 'string') return { ok: false, reason: inflated };
    budget -= inflated.length;
    if (keepText(entry.name)) texts.set(entry.name, inflated.toString('utf8'));
  }
  return { ok: true, entries, texts };
}
