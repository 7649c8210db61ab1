/** Bytes → text: the one step that knows about encodings. */
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8' | 'gb18030';

export type DecodedCsv = { ok: true; text: string; encoding: CsvEncoding } | { ok: false; message: string };

const UTF16_BOM = /^(?:\xFF\xFE|\xFE\xFF)/;

/**
 * Decodes a CSV file. Excel on Chinese Windows saves "CSV" in GBK, so bytes that are not valid
 * UTF-8 are read as GB18030 (a superset of GBK and GB2312). A UTF-8 byte-order mark is dropped.
 * Bytes that are neither (UTF-16 "Unicode 文本", a binary file) are refused rather than read as
 * garbled characters.
 */
export function decodeCsv(bytes: Uint8Array): DecodedCsv {
  if (UTF16_BOM.test(String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0))) {
    return {
      ok: false,
      message: '文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请在 Excel/WPS 里另存为 .xlsx，或另存为“CSV UTF-8”',
    };
  }
  if (bytes.includes(0)) {
    return { ok: false, message: '这不是文本格式的 CSV 文件（含有二进制内容）：请上传 .xlsx 或 .csv 表格' };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text, encoding: 'utf-8' };
  } catch {
    const text = iconv.decode(Buffer.from(bytes), 'gb18030');
    if (text.includes('\uFFFD')) {
      return {
        ok: false,
        message: '无法识别文件的编码（既不是 UTF-8 也不是 GBK）：请在 Excel/WPS 里另存为 .xlsx，或另存为“CSV UTF-8”',
      };
    }
    return { ok: true, text, encoding: 'gb18030' };
  }
}
