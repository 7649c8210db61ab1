import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announcementSchema } from '../../src/lib/content-schemas';
import type { ExplanationCandidate } from '../../src/lib/publishing/explanation-match';
import { FIELD_MAX_LENGTH } from '../../src/lib/publishing/spreadsheet/cells';
import { formatProblem } from '../../src/lib/publishing/spreadsheet/problems';
import { readFailedProducts } from '../../src/lib/publishing/spreadsheet/rows';
import { announcementSlug, importAnnouncement } from '../../src/lib/sampling/csv-import';
import { decodeCsv } from '../../src/lib/sampling/csv-import/decode';
import { csvTable, parseCsvRecords } from '../../src/lib/sampling/csv-import/records';

const root = resolve(import.meta.dirname, '..', '..');
const fixtures = join(root, 'tests', 'fixtures', 'import');
const fixture = (name: string) => readFileSync(join(fixtures, name));
const goodMeta = JSON.parse(fixture('good.meta.json').toString('utf8')) as Record<string, unknown>;

/** When the importer runs: sets the announcement's firstPublishedAt (Beijing day 2026-12-01). */
const importedAt = new Date('2026-12-01T02:00:00Z');

const explanations: ExplanationCandidate[] = [
  { slug: 'dao-ti-dian-zu-dian-xian-dian-lan', aliases: ['导体电阻'], category: '电线电缆' },
  { slug: 'hu-tao-ping-jun-hou-du-dian-xian-dian', aliases: ['护套平均厚度'], category: '电线电缆' },
  { slug: 'biao-shi-yi-dong-dian-yuan', aliases: ['标识', '材料阻燃'], category: '移动电源' },
];

/** A CSV file's text as the reader decodes it. */
const textOf = (name: string): string => {
  const decoded = decodeCsv(fixture(name));
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.text;
};

const problemsOf = (csv: string, meta: unknown = goodMeta): string[] => {
  const result = importAnnouncement(csvTable(csv), meta, explanations, importedAt);
  if (result.ok) throw new Error('expected problems, got an announcement');
  return result.problems.map(formatProblem);
};

describe('decodeCsv', () => {
  const good = fixture('good.csv').toString('utf8');

  it('reads UTF-8, with or without a byte-order mark, to the same text', () => {
    expect(decodeCsv(fixture('good.csv'))).toEqual({ ok: true, text: good, encoding: 'utf-8' });
    expect(decodeCsv(fixture('good-bom.csv'))).toEqual({ ok: true, text: good, encoding: 'utf-8' });
  });

  it('reads the GBK bytes Excel writes on Chinese Windows', () => {
    const gbk = fixture('good-gbk.csv');
    expect(gbk.equals(iconv.encode(good, 'gbk'))).toBe(true);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    expect(decodeCsv(gbk)).toEqual({ ok: true, text: good, encoding: 'gb18030' });
  });

  it('refuses UTF-16, binary bytes and bytes that are neither UTF-8 nor GBK', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')]);
    expect(decodeCsv(utf16)).toMatchObject({ ok: false, message: expect.stringContaining('UTF-16') });
    expect(decodeCsv(Buffer.from([0x41, 0x00, 0x42]))).toMatchObject({
      ok: false,
      message: expect.stringContaining('二进制'),
    });
    // 0x80 and 0xFF are no GBK lead bytes: such a file is in some other encoding.
    expect(decodeCsv(Buffer.from([0x41, 0x80, 0xff, 0x42]))).toMatchObject({
      ok: false,
      message: expect.stringContaining('既不是 UTF-8 也不是 GBK'),
    });
  });
});

describe('parseCsvRecords', () => {
  it('numbers records by the physical line they start and end on', () => {
    const { records, problem } = parseCsvRecords('a,b\n1,"x\ny\nz"\n\n2,w\n');
    expect(problem).toBeUndefined();
    expect(records.map((r) => [r.cells[0], r.line, r.endLine])).toEqual([
      ['a', 1, 1],
      ['1', 2, 4],
      ['', 5, 5],
      ['2', 6, 6],
    ]);
  });

  it('counts CRLF inside a quoted cell as one line break (csv-parse info.lines counts two)', () => {
    const { records } = parseCsvRecords('\uFEFFa,b\r\n1,"x\r\ny"\r\n2,z\r\n');
    expect(records.map((r) => [r.line, r.endLine])).toEqual([
      [1, 1],
      [2, 3],
      [4, 4],
    ]);
  });

  it('reports an unclosed quote on the line where the broken record starts', () => {
    const { records, problem } = parseCsvRecords('a,b\n1,2\n3,"oops\n4,5\n');
    expect(records).toHaveLength(2);
    expect(problem?.line).toBe(3);
    expect(problem?.message).toContain('双引号没有配对');
  });
});

describe('importAnnouncement', () => {
  it('builds a valid announcement from the good fixture, linking items to explanations', () => {
    const result = importAnnouncement(csvTable(textOf('good.csv')), goodMeta, explanations, importedAt);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    const a = result.announcement;
    expect(announcementSchema.parse(a)).toEqual(a);
    expect(a.date).toEqual({ text: '2025-03-18', iso: '2025-03-18', year: 2025 });
    expect(a.firstPublishedAt).toBe('2026-12-01');
    expect(a.stages).toEqual(['生产', '流通', '电商']);
    expect(a.batches).toEqual({ sampled: 30, failed: 3 });
    expect(a.source).toEqual({ url: 'https://example.org/2025/wires.html', note: '测试用示例，非真实公告' });
    expect(a.failedProducts).toHaveLength(3);
    const [first, second, third] = a.failedProducts;
    expect(first?.failedItems).toEqual([
      { text: '导体电阻（实测8.12Ω/km，标准要求≤7.41Ω/km）', explanation: 'dao-ti-dian-zu-dian-xian-dian-lan' },
    ]);
    // "/" means "none"; a quoted comma stays in its cell; numbered lines become separate items.
    expect(second?.brand).toBeNull();
    expect(second?.sampledUnit).toBe('示例建材市场, 某商行');
    expect(second?.failedItems).toEqual([
      { text: '绝缘老化前抗张强度' },
      { text: '护套平均厚度（实测0.61mm，标准要求≥0.8mm）', explanation: 'hu-tao-ping-jun-hou-du-dian-xian-dian' },
    ]);
    expect(third?.productName).toBe('铜芯电线 "家装专用"');
    // "产品标识" must not link to the power banks' "标识": another product's test.
    expect(third?.failedItems).toEqual([{ text: '产品标识' }, { text: '绝缘平均厚度' }]);
    expect([result.linkedItems, result.totalItems]).toEqual([2, 5]);
  });

  it('gives the same announcement for the BOM, GBK and Excel CRLF versions', () => {
    const expected = importAnnouncement(csvTable(textOf('good.csv')), goodMeta, explanations, importedAt);
    for (const name of ['good-bom.csv', 'good-gbk.csv', 'excel-crlf.csv']) {
      expect(importAnnouncement(csvTable(textOf(name)), goodMeta, explanations, importedAt), name).toEqual(expected);
    }
  });

  it('reports every bad row by its physical line', () => {
    expect(problemsOf(textOf('bad-rows.csv'))).toEqual([
      '第 5 行：「产品名称」为空',
      `第 6 行：「不合格项目」过长（1054 字，上限 ${FIELD_MAX_LENGTH.failedItems} 字）：“导体电阻（实测值偏大）（实测值偏大）（实…”。常见原因：引号没有配对，把后面几行并进了同一格`,
      '第 8 行：双引号没有配对：从这一行起的引号一直没有正确结束，请检查这一行的引号（单元格内的引号要写成两个 ""）',
    ]);
  });

  it('keeps line numbers right in CRLF files with multi-line cells', () => {
    expect(problemsOf(textOf('bad-crlf.csv'))).toEqual(['第 4 行：「产品名称」为空']);
  });

  it('accepts header aliases and spaces or line breaks inside header cells', () => {
    const csv =
      '产品 名称,品牌,型号规格,批号,标称生产者名称,销售者,"主要不合格\n项目",检验机构\n电线,甲,BV,2501,乙,丙,导体电阻,丁\n';
    const reading = readFailedProducts(csvTable(csv));
    if (!reading.ok) throw new Error(reading.problems.map(formatProblem).join('\n'));
    expect(reading.places[0]).toEqual({ line: 3, endLine: 3 });
    expect(reading.rows[0]).toMatchObject({
      brand: '甲',
      modelSpec: 'BV',
      batchOrDate: '2501',
      manufacturer: '乙',
      sampledUnit: '丙',
      inspectionBody: '丁',
    });
  });

  it('refuses unknown, duplicate and missing required columns', () => {
    const problems = problemsOf('产品名称,颜色,商标,品牌\n电线,红,甲,乙\n');
    expect(problems[0]).toMatch(
      /^第 1 行：不认识的列「颜色」（第 2 列（B 列））：请选择它对应的字段或“不导入”。可用的列名：序号、产品名称/,
    );
    expect(problems[1]).toBe('第 1 行：「商标」和「品牌」（第 4 列（D 列））都是「商标」，只能保留一列');
    expect(problems[2]).toBe('第 1 行：缺少「不合格项目」列（表头写法：不合格项目 或 主要不合格项目）');
  });

  it('reports a missing failed item, extra cells, and an empty table', () => {
    expect(problemsOf('产品名称,不合格项目\n电线,\n电缆,导体电阻,多出来\n')).toEqual([
      '第 2 行：「不合格项目」为空',
      '第 3 行：这一行有 3 格，比表头多（单元格里的逗号要用双引号括起来）',
    ]);
    expect(problemsOf('产品名称,不合格项目\n,,\n')).toEqual(['表中没有不合格产品：表头下面至少要有一行']);
    expect(problemsOf('')).toEqual(['第 1 行：表格是空的，第一行应是表头（产品名称、不合格项目等）']);
  });

  it('names every missing or bad piece of metadata at once', () => {
    const csv = fixture('good.csv').toString('utf8');
    expect(problemsOf(csv, { date: '下个月', batchesFailed: '-1', sourceUrl: 'not a url' })).toEqual([
      '缺少公告标题（--title，或 .meta.json 里的 "title"）',
      '缺少发布机关（--issuer，或 .meta.json 里的 "issuer"）',
      '缺少产品类别（--category，或 .meta.json 里的 "category"）',
      '缺少地区（--region，或 .meta.json 里的 "region"）',
      '缺少原文网址或网址无效（--source-url）：每条公告都要链接到正式发布的原文',
      '不合格批次数（--batches-failed）须为不小于 0 的整数',
    ]);
    expect(problemsOf(csv, { ...goodMeta, date: '2025-02-31' })).toEqual([
      '发布日期“2025-02-31”无法识别：请写成 YYYY-MM-DD，例如 2025-03-18',
    ]);
    expect(problemsOf(csv, { ...goodMeta, batchesSampled: 2, batchesFailed: 2 })).toEqual([
      '表中列出 3 个不合格产品，多于不合格批次数 2（--batches-failed）',
    ]);
  });

  it('reports the schema refinement of failed > sampled', () => {
    const csv = '产品名称,不合格项目\n电线,导体电阻\n';
    expect(problemsOf(csv, { ...goodMeta, batchesSampled: 1, batchesFailed: 3 })).toEqual([
      'batches.failed：不合格批次数不能大于抽查批次数',
    ]);
  });
});

describe('announcementSlug', () => {
  const announcement = {
    date: { text: '2025-03-18', iso: '2025-03-18', year: 2025 },
    region: '上海市',
    category: '电线电缆',
    source: { url: 'https://a.example/1', note: null },
  };

  it('skips slugs of other announcements and flags the same source as a replacement', () => {
    expect(announcementSlug(announcement, new Map())).toEqual({
      slug: '2025-shang-hai-shi-dian-xian-dian-lan',
      replaces: false,
    });
    const other = new Map([['2025-shang-hai-shi-dian-xian-dian-lan', 'https://b.example/2']]);
    expect(announcementSlug(announcement, other)).toEqual({
      slug: '2025-shang-hai-shi-dian-xian-dian-lan-2',
      replaces: false,
    });
    const same = new Map([['2025-shang-hai-shi-dian-xian-dian-lan', 'https://a.example/1']]);
    expect(announcementSlug(announcement, same)).toEqual({
      slug: '2025-shang-hai-shi-dian-xian-dian-lan',
      replaces: true,
    });
  });
});

// Each test starts node and tsx twice: seconds on a busy machine, so the 5 s unit default is too tight.
describe('npm run import (the CLI, end to end)', { timeout: 30_000 }, () => {
  const tsxCli = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const script = join(root, 'scripts', 'import-announcement.ts');
  const metaFlags = [
    '--title',
    '示例公告',
    '--issuer',
    '示例局',
    '--date',
    '2025-03-18',
    '--category',
    '电线电缆',
    '--region',
    '上海市',
    '--source-url',
    'https://example.org/x',
  ];
  let outDir = '';
  beforeEach(() => {
    outDir = mkdtempSync(join(tmpdir(), 'import-out-'));
  });
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  const run = (args: string[]) => {
    // The same node and tsx that `npm run import` uses, without npm's start-up cost.
    const child = spawnSync(process.execPath, [tsxCli, script, ...args, '--out', outDir], {
      cwd: root,
      encoding: 'utf8',
    });
    return { code: child.status, stdout: child.stdout, stderr: child.stderr, files: readdirSync(outDir) };
  };

  it('writes the announcement from a GBK file with a sidecar .meta.json, and refuses to overwrite it', () => {
    const input = mkdtempSync(join(tmpdir(), 'import-in-'));
    try {
      copyFileSync(join(fixtures, 'good-gbk.csv'), join(input, '表.csv'));
      copyFileSync(join(fixtures, 'good.meta.json'), join(input, '表.meta.json'));
      const first = run([join(input, '表.csv')]);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.files).toEqual(['2025-shang-hai-shi-shi-li-qu-dian-xian-dian.json']);
      expect(first.stdout).toContain('GBK/GB18030 编码）：3 个不合格产品，5 个不合格项目，其中 4 个链接到解读');
      const written = JSON.parse(readFileSync(join(outDir, first.files[0]!), 'utf8')) as unknown;
      expect(announcementSchema.parse(written).title).toBe('示例：2025年电线电缆产品质量监督抽查结果');

      const again = run([join(input, '表.csv')]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('已存在（同一原文网址），不覆盖。确需替换请加 --force。');
      const forced = run([join(input, '表.csv'), '--force', '--title', '示例：改过的标题']);
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/^已覆盖 /);
      expect(forced.files).toEqual(first.files);
      expect(readFileSync(join(outDir, first.files[0]!), 'utf8')).toContain('示例：改过的标题');
    } finally {
      rmSync(input, { recursive: true, force: true });
    }
  });

  it('writes nothing and exits 1 when any row is bad', () => {
    const result = run([join(fixtures, 'bad-rows.csv'), ...metaFlags]);
    expect(result.code).toBe(1);
    expect(result.files).toEqual([]);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('有 3 处问题');
    expect(result.stderr).toContain('第 5 行：「产品名称」为空');
    expect(result.stderr).toContain('第 8 行：双引号没有配对');
    expect(result.stderr).toContain('没有写入任何文件。');
  });

  it('reads an .xlsx through the same reader as the admin upload', async () => {
    const input = mkdtempSync(join(tmpdir(), 'import-in-'));
    try {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('不合格产品');
      sheet.addRow(['产品名称', '不合格项目']);
      sheet.addRow(['聚氯乙烯绝缘电线', '导体电阻（实测8.12Ω/km）']);
      await workbook.xlsx.writeFile(join(input, '表.xlsx'));
      const result = run([join(input, '表.xlsx'), ...metaFlags]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('（工作表“不合格产品”）：1 个不合格产品，1 个不合格项目，其中 1 个链接到解读');
    } finally {
      rmSync(input, { recursive: true, force: true });
    }
  });

  it('refuses a file that is no spreadsheet, saying what it is', () => {
    const input = mkdtempSync(join(tmpdir(), 'import-in-'));
    try {
      writeFileSync(join(input, '公告.csv'), '%PDF-1.7\n');
      const result = run([join(input, '公告.csv'), ...metaFlags]);
      expect(result.code).toBe(1);
      expect(result.files).toEqual([]);
      expect(result.stderr).toContain('公告.csv：这是PDF 文件，不是表格：请上传 .xlsx 或 .csv 表格');
    } finally {
      rmSync(input, { recursive: true, force: true });
    }
  });

  it('writes nothing and exits 1 when the metadata is missing', () => {
    const result = run([join(fixtures, 'excel-crlf.csv')]);
    expect(result.code).toBe(1);
    expect(result.files).toEqual([]);
    expect(result.stderr).toContain('缺少公告标题（--title');
  });

  it('rejects unknown flags with the usage', () => {
    const result = run([join(fixtures, 'good.csv'), '--titel', 'x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('参数有误');
    expect(result.stderr).toContain('用法：npm run import');
  });
});
