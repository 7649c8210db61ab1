/**
 * An uploaded spreadsheet's bytes → the decoded table (lib/publishing/spreadsheet/table), or a
 * refusal staff can act on. The bytes decide what the file is, never its name: an .xlsx is a zip
 * holding xl/workbook.xml; anything else must be CSV text in UTF-8 (with or without BOM) or GBK.
 *
 * Work is bounded before it starts: the file's size, then the zip's entries (each inflated under a
 * cap, so a zip bomb costs at most the cap), the number of cells, rows, columns and characters.
 * Only then does exceljs read the workbook.
 */
import ExcelJS from 'exceljs';
import { decodeCsv, type CsvEncoding } from '~/lib/sampling/csv-import/decode';
import { csvTable } from '~/lib/sampling/csv-import/records';
import {
  columnPosition,
  isBlankRow,
  TABLE_LIMITS,
  type SpreadsheetTable,
  type TableRow,
} from '~/lib/publishing/spreadsheet/table';
import { inspectZip } from './zip-inspect';

export const SPREADSHEET_LIMITS = {
  ...TABLE_LIMITS,
  /** The uploaded file. A table of 5,000 failed products is well under 2 MB as .xlsx. */
  bytes: 5 * 1024 * 1024,
  /** Everything inside an .xlsx once inflated (sheets, shared strings, styles). */
  uncompressedBytes: 40 * 1024 * 1024,
  /** Cells in all the workbook's sheets together, counted in the XML before exceljs builds them. */
  cells: 250_000,
} as const;

export const SPREADSHEET_REFUSALS = [
  'FILE_TOO_LARGE',
  'NOT_A_SPREADSHEET',
  'LEGACY_XLS',
  'ENCRYPTED',
  'UNREADABLE',
  'WRONG_ENCODING',
  'EMPTY',
  'ZIP_BOMB',
  'TOO_MANY_ROWS',
  'TOO_MANY_COLUMNS',
  'CELL_TOO_LONG',
] as const;
export type SpreadsheetRefusalCode = (typeof SPREADSHEET_REFUSALS)[number];

export interface ReadSpreadsheet extends SpreadsheetTable {
  /** The worksheet read, for an .xlsx. */
  sheetName: string | null;
  /** The text encoding, for a CSV. */
  encoding: CsvEncoding | null;
}

export type SpreadsheetFileResult =
  { ok: true; table: ReadSpreadsheet } | { ok: false; code: SpreadsheetRefusalCode; message: string };

const refuse = (code: SpreadsheetRefusalCode, message: string): SpreadsheetFileResult => ({ ok: false, code, message });

const SAVE_AS_XLSX = '请在 Excel 或 WPS 里打开，另存为“Excel 工作簿（.xlsx）”后再上传';
const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  signature.every((byte, index) => bytes[index] === byte);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Other files staff pick by mistake, named so the message says what they uploaded. */
const OTHER_TYPES: ReadonlyArray<{ signature: readonly number[]; name: string }> = [
  { signature: [0x25, 0x50, 0x44, 0x46], name: 'PDF 文件' },
  { signature: [0x89, 0x50, 0x4e, 0x47], name: 'PNG 图片' },
  { signature: [0xff, 0xd8, 0xff], name: 'JPEG 图片' },
  { signature: [0x47, 0x49, 0x46, 0x38], name: 'GIF 图片' },
  { signature: [0x52, 0x61, 0x72, 0x21], name: 'RAR 压缩包' },
  { signature: [0x37, 0x7a, 0xbc, 0xaf], name: '7z 压缩包' },
];

/** Reads an uploaded spreadsheet. The file's name is used only for wording, never to decide its type. */
export async function readSpreadsheetFile(input: Uint8Array): Promise<SpreadsheetFileResult> {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length > SPREADSHEET_LIMITS.bytes) {
    return refuse(
      'FILE_TOO_LARGE',
      `文件有 ${(bytes.length / 1024 / 1024).toFixed(1)} MB，超过 ${megabytes(SPREADSHEET_LIMITS.bytes)} 的上限：请删去多余的工作表、图片，或分成几份上传`,
    );
  }
  if (bytes.length === 0) return refuse('EMPTY', '文件是空的（0 字节）：请选择保存好的表格文件');
  if (startsWith(bytes, ZIP) || startsWith(bytes, EMPTY_ZIP)) return readXlsx(bytes);
  if (startsWith(bytes, OLE)) return readOle(bytes);
  const other = OTHER_TYPES.find((type) => startsWith(bytes, type.signature));
  if (other) return refuse('NOT_A_SPREADSHEET', `这是${other.name}，不是表格：请上传 .xlsx 或 .csv 表格`);
  return readCsv(bytes);
}

/** An OLE compound file: a legacy .xls, or an .xlsx with a password (Office encrypts into OLE). */
function readOle(bytes: Buffer): SpreadsheetFileResult {
  // Directory entries are UTF-16LE names; an encrypted OOXML package has these streams.
  const encrypted = bytes.includes(Buffer.from('EncryptedPackage', 'utf16le'));
  if (encrypted) {
    return refuse(
      'ENCRYPTED',
      `文件设置了打开密码，无法读取：请去掉密码（文件 → 信息 → 保护工作簿）后另存为 .xlsx 再上传`,
    );
  }
  return refuse('LEGACY_XLS', `这是旧版 Excel 文件（.xls 或 .et），无法直接读取：${SAVE_AS_XLSX}`);
}

function readCsv(bytes: Buffer): SpreadsheetFileResult {
  const head = bytes.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  if (/^<(?:!doctype html|html|table|\?xml)/.test(head)) {
    return refuse(
      'NOT_A_SPREADSHEET',
      `这是网页或 XML 格式的“Excel”文件（一些业务系统导出的 .xls 就是这种），不是真正的表格：${SAVE_AS_XLSX}`,
    );
  }
  const decoded = decodeCsv(bytes);
  if (!decoded.ok) return refuse('WRONG_ENCODING', decoded.message);
  const table = csvTable(decoded.text);
  const bounded = checkBounds(table.rows);
  if (bounded) return bounded;
  return { ok: true, table: { ...table, sheetName: null, encoding: decoded.encoding } };
}

/** Rows, columns and characters within the limits; the first cell beyond them is named. */
function checkBounds(rows: readonly TableRow[]): SpreadsheetFileResult | null {
  const filled = rows.filter((row) => !isBlankRow(row));
  if (filled.length === 0)
    return refuse('EMPTY', '表格是空的：第一行应是表头（产品名称、不合格项目等），下面每行一个不合格产品');
  // The header and a title row or two above it do not count against the row limit.
  if (filled.length > SPREADSHEET_LIMITS.rows + 3) {
    return refuse(
      'TOO_MANY_ROWS',
      `表格有 ${filled.length} 行，超过 ${SPREADSHEET_LIMITS.rows} 行的上限：请分成几份上传`,
    );
  }
  for (const row of filled) {
    const lastFilled = row.cells.findLastIndex((cell) => cell.trim() !== '');
    if (lastFilled + 1 > SPREADSHEET_LIMITS.columns) {
      return refuse(
        'TOO_MANY_COLUMNS',
        `第 ${row.line} 行有 ${lastFilled + 1} 列，超过 ${SPREADSHEET_LIMITS.columns} 列的上限：不合格产品表只需要产品名称、不合格项目等十来列`,
      );
    }
    const long = row.cells.findIndex((cell) => cell.length > SPREADSHEET_LIMITS.charsPerCell);
    if (long >= 0) {
      return refuse(
        'CELL_TOO_LONG',
        `第 ${row.line} 行${columnPosition(long + 1)}有 ${row.cells[long]!.length} 个字，超过每格 ${SPREADSHEET_LIMITS.charsPerCell} 字的上限`,
      );
    }
  }
  return null;
}

const isWorksheetPart = (name: string) => /^xl\/worksheets\/[^/]+\.xml$/.test(name);

async function readXlsx(bytes: Buffer): Promise<SpreadsheetFileResult> {
  const zip = inspectZip(bytes, SPREADSHEET_LIMITS.uncompressedBytes, isWorksheetPart);
  if (!zip.ok) {
    if (zip.reason === 'encrypted')
      return refuse('ENCRYPTED', '文件设置了密码，无法读取：请去掉密码后另存为 .xlsx 再上传');
    if (zip.reason === 'too_large') {
      return refuse(
        'ZIP_BOMB',
        `文件解压后超过 ${megabytes(SPREADSHEET_LIMITS.uncompressedBytes)}，不像是一份不合格产品表，已拒绝读取`,
      );
    }
    return refuse('UNREADABLE', `文件已损坏，无法读取：${SAVE_AS_XLSX}`);
  }
  const names = new Set(zip.entries.map((entry) => entry.name));
  if (!names.has('xl/workbook.xml')) {
    if (names.has('xl/workbook.bin'))
      return refuse('NOT_A_SPREADSHEET', `这是 Excel 二进制工作簿（.xlsb）：${SAVE_AS_XLSX}`);
    if (names.has('content.xml') && names.has('mimetype')) {
      return refuse('NOT_A_SPREADSHEET', `这是 OpenDocument 表格（.ods）：${SAVE_AS_XLSX}`);
    }
    if (names.has('word/document.xml'))
      return refuse('NOT_A_SPREADSHEET', '这是 Word 文档，不是表格：请上传 .xlsx 或 .csv 表格');
    return refuse('NOT_A_SPREADSHEET', '这是一个压缩包，不是 Excel 表格：请上传 .xlsx 或 .csv 表格');
  }
  let cells = 0;
  for (const xml of zip.texts.values()) cells += xml.match(/<c[\s>]/g)?.length ?? 0;
  if (cells > SPREADSHEET_LIMITS.cells) {
    return refuse(
      'TOO_MANY_ROWS',
      `工作簿有 ${cells} 个单元格，超过 ${SPREADSHEET_LIMITS.cells} 个的上限：请只保留不合格产品表`,
    );
  }

  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return refuse('UNREADABLE', `文件已损坏或不是有效的 .xlsx，无法读取：${SAVE_AS_XLSX}`);
  }
  const sheets = workbook.worksheets.map((sheet) => ({ sheet, rows: sheetRows(sheet) }));
  const withData = sheets.filter(({ rows }) => rows.some((row) => !isBlankRow(row)));
  const chosen = withData.find(({ sheet }) => sheet.state === 'visible') ?? withData[0];
  if (!chosen) {
    return refuse('EMPTY', '工作簿里没有任何内容：请在第一张工作表里放不合格产品表（第一行是表头）');
  }
  const bounded = checkBounds(chosen.rows);
  if (bounded) return bounded;
  return {
    ok: true,
    table: { format: 'xlsx', rows: chosen.rows, readProblems: [], sheetName: chosen.sheet.name, encoding: null },
  };
}

function sheetRows(sheet: ExcelJS.Worksheet): TableRow[] {
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell);
    });
    rows.push({ cells: Array.from(cells, (cell) => cell ?? ''), line, endLine: line });
  });
  return rows;
}

/** A cell's text as the sheet shows it: rich text joined, a formula's result, dates as YYYY-MM-DD. */
function cellText(cell: ExcelJS.Cell): string {
  // A merged range holds its value once: cells to the right of it in the same row are empty, cells
  // below it repeat it (a 被抽样单位 merged over several products belongs to each of them).
  if (cell.isMerged && cell.master !== cell && cell.master.row === cell.row) return '';
  return valueText(cell.value, cell.numFmt);
}

function valueText(value: ExcelJS.CellValue, numFmt: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, numFmt);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value, numFmt);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return String(value.error);
  if ('hyperlink' in value) {
    const text: unknown = value.text;
    return typeof text === 'string' ? text : valueText(text as ExcelJS.CellValue, numFmt);
  }
  if ('formula' in value || 'sharedFormula' in value) {
    return valueText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, numFmt);
  }
  return '';
}

/** Numbers as the cell shows them: fixed decimals and percentages kept, float noise (0.1 + 0.2) dropped. */
function numberText(value: number, numFmt: string | undefined): string {
  const format = numFmt?.split(';')[0] ?? '';
  const decimals = /0\.(0+)/.exec(format)?.[1]?.length;
  if (format.includes('%')) return `${(value * 100).toFixed(decimals ?? 0)}%`;
  if (decimals !== undefined) return value.toFixed(decimals);
  return String(Number(value.toPrecision(15)));
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Dates as the sheet shows them, written the portal's way: a day as YYYY-MM-DD, a month-only
 * format (2025年3月) as YYYY-MM, with the time when the format shows one. Excel stores dates
 * without a zone; exceljs hands them over as UTC, so UTC fields are the cell's own.
 */
function dateText(date: Date, numFmt: string | undefined): string {
  const format = (numFmt ?? '').toLowerCase().replace(/"[^"]*"|\[[^\]]*\]/g, '');
  const month = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`;
  const showsDay = !/y/.test(format) || /d/.test(format);
  const day = showsDay ? `${month}-${pad(date.getUTCDate())}` : month;
  const showsTime = /h/.test(format);
  return showsTime ? `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}` : day;
}
