import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/lib/publishing/spreadsheet/problems';
import { readFailedProducts } from '../../src/lib/publishing/spreadsheet/rows';
import { readSpreadsheetFile, SPREADSHEET_LIMITS } from '../../src/server/publishing/spreadsheet-file';

const HEADER = ['序号', '产品名称', '商标', '规格型号', '生产日期/批号', '标称生产企业', '被抽样单位', '不合格项目'];

async function xlsx(fill: (workbook: ExcelJS.Workbook) => void, options?: Partial<ExcelJS.XlsxWriteOptions>) {
  const workbook = new ExcelJS.Workbook();
  fill(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer(options));
}

async function readOk(bytes: Uint8Array) {
  const result = await readSpreadsheetFile(bytes);
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.table;
}

async function refusal(bytes: Uint8Array) {
  const result = await readSpreadsheetFile(bytes);
  if (result.ok) throw new Error('expected a refusal, got a table');
  return { code: result.code, message: result.message };
}

/** A zip written by hand, for the files exceljs would never write (bombs, lies, encryption flags). */
function zip(entries: Array<{ name: string; data: Buffer; declaredSize?: number; flags?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.flags ?? 0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// Writing and reading workbooks of thousands of rows takes seconds on a busy machine.
describe('readSpreadsheetFile: .xlsx', { timeout: 30_000 }, () => {
  it('reads the first sheet with data: title row, rich text, dates as shown, numbers, formulas and merged cells', async () => {
    const bytes = await xlsx((workbook) => {
      workbook.addWorksheet('说明');
      const sheet = workbook.addWorksheet('不合格产品');
      sheet.addRow(['2025年电线电缆产品质量监督抽查不合格产品名单']);
      sheet.mergeCells('A1:H1');
      sheet.addRow(HEADER);
      sheet.addRow([
        1,
        { richText: [{ text: '聚氯乙烯' }, { text: '绝缘电线', font: { bold: true } }] },
        '示例牌',
        'BV 2.5',
        new Date(Date.UTC(2025, 0, 8)),
        '示例电缆有限公司',
        '示例五金店',
        '导体电阻',
      ]);
      sheet.getCell('E3').numFmt = 'yyyy"年"m"月"d"日"';
      sheet.addRow([
        { formula: 'A3+1', result: 2 },
        '软电线',
        '/',
        'RVV 3×1.5',
        new Date(Date.UTC(2024, 10, 1)),
        '示例线缆公司',
        null,
        '绝缘厚度\n护套厚度',
      ]);
      sheet.getCell('E4').numFmt = 'yyyy-mm';
      // One shop sold both products: its name is written once over two rows.
      sheet.getCell('G3').value = '示例五金店';
      sheet.mergeCells('G3:G4');
      sheet.addRow([3, '电缆', null, null, 20241203, '示例', '示例网店', { formula: 'H3', result: '导体电阻' }]);
    });
    const table = await readOk(bytes);
    expect(table.sheetName).toBe('不合格产品');
    expect(table.rows.map((row) => row.line)).toEqual([1, 2, 3, 4, 5]);
    expect(table.rows[0]!.cells).toEqual(['2025年电线电缆产品质量监督抽查不合格产品名单', '', '', '', '', '', '', '']);
    expect(table.rows[2]!.cells).toEqual([
      '1',
      '聚氯乙烯绝缘电线',
      '示例牌',
      'BV 2.5',
      '2025-01-08',
      '示例电缆有限公司',
      '示例五金店',
      '导体电阻',
    ]);
    expect(table.rows[3]!.cells).toEqual([
      '2',
      '软电线',
      '/',
      'RVV 3×1.5',
      '2024-11',
      '示例线缆公司',
      '示例五金店',
      '绝缘厚度\n护套厚度',
    ]);
    expect(table.rows[4]!.cells[4]).toBe('20241203');
    expect(table.rows[4]!.cells[7]).toBe('导体电阻');

    const reading = readFailedProducts(table);
    if (!reading.ok) throw new Error(reading.problems.map(formatProblem).join('\n'));
    expect(reading.headerLine).toBe(2);
    expect(reading.places.map((place) => place.line)).toEqual([3, 4, 5]);
    expect(reading.rows[1]).toEqual({
      productName: '软电线',
      brand: null,
      modelSpec: 'RVV 3×1.5',
      batchOrDate: '2024-11',
      manufacturer: '示例线缆公司',
      sampledUnit: '示例五金店',
      failedItems: [{ text: '绝缘厚度' }, { text: '护套厚度' }],
      inspectionBody: null,
    });
  });

  it('reads a WPS-like workbook: inline strings, no styles, empty first sheets, a hidden sheet with data', async () => {
    const bytes = await xlsx(
      (workbook) => {
        workbook.creator = 'WPS 表格';
        workbook.addWorksheet('Sheet1');
        const hidden = workbook.addWorksheet('旧表', { state: 'hidden' });
        hidden.addRow(['不该读的表']);
        const sheet = workbook.addWorksheet('Sheet3');
        sheet.addRow(['产品名称', '不合格项目']);
        sheet.addRow(['电吹风', '输入功率和电流']);
      },
      { useSharedStrings: false, useStyles: false },
    );
    const table = await readOk(bytes);
    expect(table.sheetName).toBe('Sheet3');
    expect(table.rows.map((row) => row.cells)).toEqual([
      ['产品名称', '不合格项目'],
      ['电吹风', '输入功率和电流'],
    ]);
  });

  it('shows fixed decimals and percentages as the cell does, and drops float noise', async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('表');
      sheet.addRow(['产品名称', '规格型号', '不合格项目']);
      sheet.addRow(['电线', 0.1 + 0.2, '导体电阻']);
      sheet.addRow(['电缆', 2.5, '导体电阻']);
      sheet.getCell('B3').numFmt = '0.00';
      sheet.addRow(['电缆', 0.125, '导体电阻']);
      sheet.getCell('B4').numFmt = '0.0%';
    });
    const table = await readOk(bytes);
    expect(table.rows.slice(1).map((row) => row.cells[1])).toEqual(['0.3', '2.50', '12.5%']);
  });

  it('keeps a formula error as the sheet shows it, so the row check names it', async () => {
    const bytes = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('表');
      sheet.addRow(['产品名称', '不合格项目']);
      sheet.addRow([{ formula: 'Sheet9!A1', result: { error: '#REF!' } }, '导体电阻']);
    });
    const reading = readFailedProducts(await readOk(bytes));
    expect(reading.ok ? [] : reading.problems.map(formatProblem)).toEqual([
      '第 2 行：「产品名称」是公式错误 #REF!：请在表格里改正公式，或把公式换成它应得的值',
    ]);
  });

  it('refuses a workbook with nothing in it', async () => {
    const bytes = await xlsx((workbook) => {
      workbook.addWorksheet('Sheet1');
      workbook.addWorksheet('Sheet2');
    });
    expect(await refusal(bytes)).toEqual({
      code: 'EMPTY',
      message: '工作簿里没有任何内容：请在第一张工作表里放不合格产品表（第一行是表头）',
    });
  });

  it('refuses too many rows, too many columns and an over-long cell, naming where', async () => {
    const manyRows = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('表');
      sheet.addRow(['产品名称', '不合格项目']);
      for (let i = 0; i < SPREADSHEET_LIMITS.rows + 5; i++) sheet.addRow([`产品${i}`, '导体电阻']);
    });
    expect(await refusal(manyRows)).toEqual({
      code: 'TOO_MANY_ROWS',
      message: `表格有 ${SPREADSHEET_LIMITS.rows + 6} 行，超过 ${SPREADSHEET_LIMITS.rows} 行的上限：请分成几份上传`,
    });
    const wide = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('表');
      sheet.addRow(['产品名称', '不合格项目']);
      sheet.addRow(Array.from({ length: SPREADSHEET_LIMITS.columns + 1 }, (_, i) => `格${i}`));
    });
    expect(await refusal(wide)).toMatchObject({
      code: 'TOO_MANY_COLUMNS',
      message: expect.stringMatching(/^第 2 行有 41 列/),
    });
    const long = await xlsx((workbook) => {
      const sheet = workbook.addWorksheet('表');
      sheet.addRow(['产品名称', '不合格项目']);
      sheet.addRow(['电线', '长'.repeat(SPREADSHEET_LIMITS.charsPerCell + 1)]);
    });
    expect(await refusal(long)).toEqual({
      code: 'CELL_TOO_LONG',
      message: '第 2 行第 2 列（B 列）有 2001 个字，超过每格 2000 字的上限',
    });
  });
});

describe('readSpreadsheetFile: refusals by the bytes', { timeout: 30_000 }, () => {
  it('refuses a file over the size limit before reading it', async () => {
    const big = Buffer.alloc(SPREADSHEET_LIMITS.bytes + 1, 0x41);
    expect(await refusal(big)).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('超过 5 MB') });
  });

  it('refuses an empty file', async () => {
    expect((await refusal(Buffer.alloc(0))).code).toBe('EMPTY');
  });

  it('refuses a legacy .xls and a password-protected workbook (both OLE files) with what to do', async () => {
    const ole = Buffer.alloc(1024);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    Buffer.from('Workbook', 'utf16le').copy(ole, 512);
    expect(await refusal(ole)).toEqual({
      code: 'LEGACY_XLS',
      message:
        '这是旧版 Excel 文件（.xls 或 .et），无法直接读取：请在 Excel 或 WPS 里打开，另存为“Excel 工作簿（.xlsx）”后再上传',
    });
    Buffer.from('EncryptedPackage', 'utf16le').copy(ole, 640);
    expect((await refusal(ole)).code).toBe('ENCRYPTED');
  });

  it('refuses a zip entry with the encryption flag', async () => {
    const bytes = zip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>'), flags: 1 }]);
    expect((await refusal(bytes)).code).toBe('ENCRYPTED');
  });

  it('names what was uploaded instead: PDF, Word, another zip, an HTML "xls"', async () => {
    expect(await refusal(Buffer.from('%PDF-1.7\n…'))).toEqual({
      code: 'NOT_A_SPREADSHEET',
      message: '这是PDF 文件，不是表格：请上传 .xlsx 或 .csv 表格',
    });
    const docx = zip([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]);
    expect(await refusal(docx)).toMatchObject({
      code: 'NOT_A_SPREADSHEET',
      message: expect.stringContaining('Word 文档'),
    });
    const other = zip([{ name: 'photo.txt', data: Buffer.from('hello') }]);
    expect(await refusal(other)).toMatchObject({
      code: 'NOT_A_SPREADSHEET',
      message: expect.stringContaining('压缩包'),
    });
    const html = Buffer.from('<html><body><table><tr><td>产品名称</td></tr></table></body></html>');
    expect(await refusal(html)).toMatchObject({ code: 'NOT_A_SPREADSHEET', message: expect.stringContaining('网页') });
  });

  it('refuses a zip bomb by its declared size, and one that lies about its size, without inflating it all', async () => {
    const zeros = Buffer.alloc(SPREADSHEET_LIMITS.uncompressedBytes + 1024);
    const declared = zip([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: zeros },
    ]);
    expect(declared.length).toBeLessThan(SPREADSHEET_LIMITS.bytes);
    expect((await refusal(declared)).code).toBe('ZIP_BOMB');
    const lying = zip([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: zeros, declaredSize: 1000 },
    ]);
    expect(await refusal(lying)).toEqual({
      code: 'ZIP_BOMB',
      message: '文件解压后超过 40 MB，不像是一份不合格产品表，已拒绝读取',
    });
  });

  it('refuses a damaged workbook', async () => {
    const good = await xlsx((workbook) => workbook.addWorksheet('表').addRow(['产品名称', '不合格项目']));
    expect((await refusal(good.subarray(0, Math.floor(good.length / 2)))).code).toBe('UNREADABLE');
    const broken = zip([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook') },
      { name: '[Content_Types].xml', data: Buffer.from('<Types') },
    ]);
    expect((await refusal(broken)).code).toBe('UNREADABLE');
  });
});

describe('readSpreadsheetFile: .csv', () => {
  const csv = '产品名称,不合格项目\n电线,导体电阻\n';

  it('reads UTF-8, UTF-8 with BOM and GBK to the same table', async () => {
    const utf8 = await readOk(Buffer.from(csv));
    const bom = await readOk(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]));
    const gbk = await readOk(iconv.encode(csv, 'gbk'));
    expect([utf8.encoding, bom.encoding, gbk.encoding]).toEqual(['utf-8', 'utf-8', 'gb18030']);
    expect(utf8.format).toBe('csv');
    for (const table of [utf8, bom, gbk]) {
      expect(table.rows.map((row) => row.cells)).toEqual([
        ['产品名称', '不合格项目'],
        ['电线', '导体电阻'],
      ]);
    }
  });

  it('refuses a wrong encoding and an empty table', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]);
    expect(await refusal(utf16)).toMatchObject({ code: 'WRONG_ENCODING', message: expect.stringContaining('UTF-16') });
    expect((await refusal(Buffer.from([0x41, 0x80, 0xff, 0x42]))).code).toBe('WRONG_ENCODING');
    expect((await refusal(Buffer.from(',,,\n,,\n'))).code).toBe('EMPTY');
  });
});
