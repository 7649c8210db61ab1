import { describe, expect, it } from 'vitest';
import { columnMappingSchema } from '../../src/lib/publishing/spreadsheet/columns';
import { validateFormRows } from '../../src/lib/publishing/spreadsheet/form-rows';
import { formatProblem } from '../../src/lib/publishing/spreadsheet/problems';
import { readFailedProducts } from '../../src/lib/publishing/spreadsheet/rows';
import { columnLetter, type SpreadsheetTable } from '../../src/lib/publishing/spreadsheet/table';

/** A table as the .xlsx reader gives it: row N of the sheet is `rows[N - 1]`. */
const sheet = (...rows: string[][]): SpreadsheetTable => ({
  format: 'xlsx',
  rows: rows.map((cells, index) => ({ cells, line: index + 1, endLine: index + 1 })),
  readProblems: [],
});

const problemsOf = (reading: ReturnType<typeof readFailedProducts> | ReturnType<typeof validateFormRows>) =>
  reading.ok ? [] : reading.problems.map(formatProblem);

describe('readFailedProducts over a sheet', () => {
  it('finds the header under a title row and reads each row after it', () => {
    const reading = readFailedProducts(
      sheet(
        ['2025年某区电动自行车抽查不合格产品名单', '', ''],
        [],
        ['产品名称', '品牌', '主要不合格项目'],
        ['电动自行车', '示例', '最高车速；整车质量'],
      ),
    );
    if (!reading.ok) throw new Error(problemsOf(reading).join('\n'));
    expect(reading.headerLine).toBe(3);
    expect(reading.places).toEqual([{ line: 4, endLine: 4 }]);
    expect(reading.rows).toEqual([
      {
        productName: '电动自行车',
        brand: '示例',
        modelSpec: null,
        batchOrDate: null,
        manufacturer: null,
        sampledUnit: null,
        failedItems: [{ text: '最高车速' }, { text: '整车质量' }],
        inspectionBody: null,
      },
    ]);
  });

  it('reports every problem at once by row and column, quoting the cell, and returns no rows', () => {
    const reading = readFailedProducts(
      sheet(
        ['产品名称', '生产日期/批号', '不合格项目'],
        ['电线', '2025-01-08', '导体电阻'],
        ['电缆', '2'.repeat(101), ''],
        ['', '2025-01-09', '绝缘厚度'],
        ['插座', '#N/A', '结构', '多余的内容'],
      ),
    );
    expect(reading.ok).toBe(false);
    expect(problemsOf(reading)).toEqual([
      '第 3 行：「生产日期/批号」过长（101 字，上限 100 字）：“22222222222222222222…”。常见原因：引号没有配对，把后面几行并进了同一格',
      '第 3 行：「不合格项目」为空',
      '第 4 行：「产品名称」为空',
      '第 5 行：第 4 列（D 列）有内容“多余的内容”，但这一列没有列名：请补上表头，或删掉这些内容',
      '第 5 行：「生产日期/批号」是公式错误 #N/A：请在表格里改正公式，或把公式换成它应得的值',
    ]);
    expect(reading.ok ? null : reading.problems[1]).toMatchObject({
      code: 'CELL_EMPTY',
      line: 3,
      column: '不合格项目',
      value: '',
    });
  });

  it('names a column by the header the sheet gives it', () => {
    const reading = readFailedProducts(sheet(['产品名称', '主要不合格项目'], ['电线', '']));
    expect(problemsOf(reading)).toEqual(['第 2 行：「主要不合格项目」为空']);
  });

  it('lists unrecognised columns with sample values, and reads the table once staff map them', () => {
    const table = sheet(
      ['产品名称', '生产单位', '备注', '不合格项目'],
      ['电线', '示例电缆厂', '复检', '导体电阻'],
      ['电缆', '示例线缆厂', '', '绝缘厚度'],
    );
    const first = readFailedProducts(table);
    if (first.ok) throw new Error('expected unknown columns');
    expect(first.unknownColumns).toEqual([
      { index: 2, header: '生产单位', samples: ['示例电缆厂', '示例线缆厂'] },
      { index: 3, header: '备注', samples: ['复检'] },
    ]);
    expect(first.problems.map((problem) => [problem.code, problem.column])).toEqual([
      ['UNKNOWN_COLUMN', '生产单位'],
      ['UNKNOWN_COLUMN', '备注'],
    ]);

    const mapping = columnMappingSchema.parse({ 生产单位: 'manufacturer', ' 备 注 ': 'ignore' });
    const mapped = readFailedProducts(table, { columnMapping: mapping });
    if (!mapped.ok) throw new Error(problemsOf(mapped).join('\n'));
    expect(mapped.rows.map((row) => row.manufacturer)).toEqual(['示例电缆厂', '示例线缆厂']);
  });

  it('refuses a mapping that doubles a column, and a mapping that is not fields', () => {
    const table = sheet(['产品名称', '厂家', '标称生产企业', '不合格项目'], ['电线', '甲', '乙', '导体电阻']);
    expect(problemsOf(readFailedProducts(table, { columnMapping: { 厂家: 'manufacturer' } }))).toEqual([
      '第 1 行：「厂家」和「标称生产企业」（第 3 列（C 列））都是「标称生产者名称」，只能保留一列',
    ]);
    expect(columnMappingSchema.safeParse({ 厂家: 'factory' }).success).toBe(false);
  });

  it('reports a missing required column and an empty table', () => {
    expect(problemsOf(readFailedProducts(sheet(['产品名称', '商标'], ['电线', '甲'])))).toEqual([
      '第 1 行：缺少「不合格项目」列（表头写法：不合格项目 或 主要不合格项目）',
    ]);
    expect(problemsOf(readFailedProducts(sheet(['产品名称', '不合格项目'])))).toEqual([
      '表中没有不合格产品：表头下面至少要有一行',
    ]);
    expect(problemsOf(readFailedProducts(sheet()))).toEqual([
      '第 1 行：表格是空的，第一行应是表头（产品名称、不合格项目等）',
    ]);
  });

  it('names columns the way Excel does', () => {
    expect([1, 26, 27, 40].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AN']);
  });
});

describe('validateFormRows', () => {
  it('builds the products of the form, keeping the explanation staff confirmed for an item', () => {
    const reading = validateFormRows([
      {
        productName: ' 电吹风 ',
        brand: '',
        failedItems: [{ text: '输入功率和电流', explanation: 'shu-ru-gong-lv' }, { text: '  ' }],
      },
      { productName: '', failedItems: '' },
      { productName: '卷发器', manufacturer: null, failedItems: '1、非正常工作\n2、结构' },
    ]);
    if (!reading.ok) throw new Error(problemsOf(reading).join('\n'));
    expect(reading.rows.map((row) => [row.productName, row.brand, row.failedItems])).toEqual([
      ['电吹风', null, [{ text: '输入功率和电流', explanation: 'shu-ru-gong-lv' }]],
      ['卷发器', null, [{ text: '非正常工作' }, { text: '结构' }]],
    ]);
  });

  it('numbers problems by the form row, with the same wording as a file', () => {
    const reading = validateFormRows([
      { productName: '电吹风', failedItems: '结构' },
      { productName: '卷发器', failedItems: '' },
      { productName: '甲'.repeat(201), modelSpec: '#VALUE!', failedItems: [{ text: '结构' }] },
    ]);
    expect(problemsOf(reading)).toEqual([
      '第 2 行：「不合格项目」为空',
      `第 3 行：「产品名称」过长（201 字，上限 200 字）：“${'甲'.repeat(20)}…”。常见原因：引号没有配对，把后面几行并进了同一格`,
      '第 3 行：「规格型号」是公式错误 #VALUE!：请在表格里改正公式，或把公式换成它应得的值',
    ]);
  });

  it('refuses an empty form and a form over the row limit', () => {
    expect(problemsOf(validateFormRows([{ productName: ' ' }]))).toEqual(['表中没有不合格产品：至少要填一行']);
    const tooMany = Array.from({ length: 5001 }, () => ({ productName: '电线', failedItems: '结构' }));
    expect(problemsOf(validateFormRows(tooMany))).toEqual(['表中有 5001 行，超过 5000 行的上限']);
  });
});
