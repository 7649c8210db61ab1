/** Bytes → text: the one step that knows about encodings. */
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8' | 'gb18030';

/**
 * Decodes a CSV file. Excel on Chinese Windows saves "CSV" in GBK, so bytes that are not valid
 * UTF-8 are read as GB18030 (a superset of GBK and GB2312). A UTF-8 byte-order mark is dropped.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gb18030' };
  }
}
