/**
 * Turns the table of failed products that staff export from their spreadsheets (CSV) into an
 * announcement, or into a list of problems with the CSV line each one is on.
 *
 * Pure: bytes and strings in, values out. `scripts/import-announcement.ts` does the file I/O.
 * Only `npm run import` uses it, so it lives beside the script and its CSV packages stay out of the server.
 * Nothing is half-imported: any problem means no announcement at all.
 */
import { parse, CsvError } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { announcementSchema, publishedDateSchema, type Announcement, type FailedProduct } from '../../src/lib/content-schemas';
import { matchExplanation, parsePublishedDate, splitFailedItems, stagesFromText, type ExplanationCandidate } from '../../src/lib/sampling/normalise';
import { slugify, uniqueSlug } from './slug';

/** A cell longer than this is almost always two rows run together by a stray quote. */
export const MAX_CELL_LENGTH = 1000;

type ProductField = keyof Omit<FailedProduct, 'failedItems'> | 'failedItems' | 'seq';

/** Column headers as staff write them; the first name is the one shown in messages. */
export const COLUMN_ALIASES: Readonly<Record<ProductField, readonly string[]>> = {
  seq: ['序号'],
  productName: ['产品名称'],
  brand: ['商标', '品牌', '商标/品牌', '品牌/商标'],
  modelSpec: ['规格型号', '型号规格'],
  batchOrDate: ['生产日期/批号', '生产日期', '批号', '批号/生产日期'],
  manufacturer: ['标称生产者名称', '标称生产企业', '标称生产企业名称', '生产者'],
  sampledUnit: ['被抽样单位名称', '被抽样单位', '销售者'],
  failedItems: ['不合格项目', '主要不合格项目'],
  inspectionBody: ['检验机构', '承检机构'],
};

const REQUIRED_COLUMNS: readonly ProductField[] = ['productName', 'failedItems'];

/** A problem with the input. `line` is the CSV's physical line (header = 1); null for the metadata. */
export interface ImportProblem {
  line: number | null;
  /** Last line of a record whose quoted cells span several lines. */
  endLine?: number;
  message: string;
}

export function formatProblem(problem: ImportProblem): string {
  if (problem.line === null) return problem.message;
  const where =
    problem.endLine !== undefined && problem.endLine !== problem.line
      ? `第 ${problem.line}–${problem.endLine} 行`
      : `第 ${problem.line} 行`;
  return `${where}：${problem.message}`;
}

// ---------------------------------------------------------------------------------------------
// Bytes → text

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

// ---------------------------------------------------------------------------------------------
// Text → records with their physical lines

export interface CsvRecord {
  cells: string[];
  /** Physical line the record starts on (1-based). */
  line: number;
  /** Physical line it ends on: later than `line` when a quoted cell holds line breaks. */
  endLine: number;
}

const lineBreaks = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * Parses CSV text into records that know their physical lines.
 * csv-parse's own `info.lines` counts a CRLF inside a quoted cell as two lines, so lines are
 * counted here from the byte offsets it reports (`info.bytes`), which are exact.
 */
export function parseCsvRecords(text: string): { records: CsvRecord[]; problem?: ImportProblem } {
  const bytes = new TextEncoder().encode(text);
  const decoder = new TextDecoder();
  const records: CsvRecord[] = [];
  let offset = 0;
  let line = 1;
  const consume = (end: number): { startLine: number; endLine: number } => {
    const chunk = decoder.decode(bytes.subarray(offset, end)).replace(/^\uFEFF/, '');
    const startLine = line;
    const endLine = startLine + lineBreaks(chunk.replace(/(\r\n|\r|\n)$/, ''));
    line += lineBreaks(chunk);
    offset = end;
    return { startLine, endLine };
  };
  try {
    parse(text, {
      bom: true,
      relax_column_count: true,
      // `12"显示器` in an unquoted cell is a measurement, not a quote.
      relax_quotes: true,
      skip_empty_lines: false,
      on_record: (cells: string[], context) => {
        const { startLine, endLine } = consume(context.bytes);
        records.push({ cells, line: startLine, endLine });
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const message =
      error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_INVALID_CLOSING_QUOTE'
        ? '双引号没有配对：从这一行起的引号一直没有正确结束，请检查这一行的引号（单元格内的引号要写成两个 ""）'
        : `无法读取这一行（${error.code}）`;
    return { records, problem: { line, message } };
  }
  return { records };
}

// ---------------------------------------------------------------------------------------------
// Records → failed products

const normaliseHeader = (header: string): string =>
  header.replace(/^\uFEFF/, '').replace(/\s+/g, '').replace(/／/g, '/');

const headerLookup = new Map<string, ProductField>(
  Object.entries(COLUMN_ALIASES).flatMap(([field, names]) => names.map((name) => [name, field as ProductField])),
);

/** "/" and dashes mean "not applicable" in these tables; the source's other words are kept. */
const emptyCell = (value: string): boolean => /^[/／\-—–－\s]*$/.test(value);

/** Cells keep their words; line breaks typed with Alt+Enter are only layout. */
function cellText(value: string): string | null {
  const text = value.replace(/\s*(\r\n|\r|\n)\s*/g, (_match, _br, index: number, whole: string) => {
    const before = whole.slice(0, index).trimEnd().slice(-1);
    const after = whole.slice(index).trimStart().charAt(0);
    return /[A-Za-z0-9]/.test(before) && /[A-Za-z0-9]/.test(after) ? ' ' : '';
  });
  const trimmed = text.trim();
  return emptyCell(trimmed) ? null : trimmed;
}

/** Failed items written one per line (Alt+Enter), possibly numbered "1、…", become one list. */
function failedItemsText(value: string): string {
  return value
    .split(/\r\n|\r|\n/)
    .map((part) => part.trim().replace(/^[（(]?\d{1,2}[)）.．、]\s*/, ''))
    .filter(Boolean)
    .join('；');
}

export interface FailedProductRow {
  product: FailedProduct;
  line: number;
  endLine: number;
}

/** Reads the table: header on line 1, one failed product per record after it. */
export function readFailedProducts(
  text: string,
  productCategory: string,
  explanations: readonly ExplanationCandidate[],
): { rows: FailedProductRow[]; problems: ImportProblem[] } {
  const { records, problem: parseProblem } = parseCsvRecords(text);
  const problems: ImportProblem[] = [];
  const [header, ...body] = records;
  if (!header || header.cells.every((cell) => !cell.trim())) {
    return { rows: [], problems: [parseProblem ?? { line: 1, message: '文件是空的，第一行应是表头（产品名称、不合格项目等）' }] };
  }

  const columns: Array<ProductField | null> = [];
  const seen = new Map<ProductField, string>();
  header.cells.forEach((raw, index) => {
    const name = normaliseHeader(raw);
    if (!name) {
      columns.push(null);
      return;
    }
    const field = headerLookup.get(name);
    if (!field) {
      problems.push({
        line: header.line,
        message: `不认识的列“${raw.trim()}”（第 ${index + 1} 列）。可用的列名：${Object.values(COLUMN_ALIASES).flat().join('、')}`,
      });
      columns.push(null);
      return;
    }
    const earlier = seen.get(field);
    if (earlier) problems.push({ line: header.line, message: `“${earlier}”和“${raw.trim()}”是同一列，只能保留一个` });
    seen.set(field, raw.trim());
    columns.push(field);
  });
  for (const field of REQUIRED_COLUMNS) {
    if (!seen.has(field)) {
      problems.push({ line: header.line, message: `缺少“${COLUMN_ALIASES[field][0]}”列（表头写法：${COLUMN_ALIASES[field].join(' 或 ')}）` });
    }
  }
  if (problems.length > 0) return { rows: [], problems: parseProblem ? [...problems, parseProblem] : problems };

  const rows: FailedProductRow[] = [];
  for (const record of body) {
    if (record.cells.every((cell) => !cell.trim())) continue; // blank lines and Excel's ",,,," rows
    const at = { line: record.line, endLine: record.endLine };
    const values: Partial<Record<ProductField, string | null>> = {};
    let rowOk = true;
    record.cells.forEach((cell, index) => {
      const field = columns[index];
      const columnName = field ? COLUMN_ALIASES[field][0] : `第 ${index + 1} 列`;
      if (cell.length > MAX_CELL_LENGTH) {
        problems.push({
          ...at,
          message: `“${columnName}”有 ${cell.length} 个字，超过 ${MAX_CELL_LENGTH} 字上限（常见原因：引号没有配对，把后面几行并进了同一格）`,
        });
        rowOk = false;
        return;
      }
      if (field === null || field === undefined) {
        if (cell.trim()) {
          const reason =
            index >= header.cells.length
              ? `这一行有 ${record.cells.length} 格，比表头多（单元格里的逗号要用双引号括起来）`
              : `第 ${index + 1} 列没有列名却有内容“${cell.trim().slice(0, 20)}”`;
          problems.push({ ...at, message: reason });
          rowOk = false;
        }
        return;
      }
      values[field] = field === 'failedItems' ? cellText(failedItemsText(cell)) : cellText(cell);
    });
    if (!rowOk) continue;
    for (const field of REQUIRED_COLUMNS) {
      if (!values[field]) {
        problems.push({ ...at, message: `缺少“${COLUMN_ALIASES[field][0]}”` });
        rowOk = false;
      }
    }
    if (!rowOk) continue;
    rows.push({
      ...at,
      product: {
        productName: values.productName ?? '',
        brand: values.brand ?? null,
        modelSpec: values.modelSpec ?? null,
        batchOrDate: values.batchOrDate ?? null,
        manufacturer: values.manufacturer ?? null,
        sampledUnit: values.sampledUnit ?? null,
        failedItems: splitFailedItems(values.failedItems).map((item) => {
          const explanation = matchExplanation(item, productCategory, explanations);
          return explanation ? { text: item, explanation } : { text: item };
        }),
        inspectionBody: values.inspectionBody ?? null,
      },
    });
  }
  if (parseProblem) problems.push(parseProblem);
  if (rows.length === 0 && problems.length === 0) {
    problems.push({ line: null, message: '表中没有不合格产品：表头下面至少要有一行' });
  }
  return { rows, problems };
}

// ---------------------------------------------------------------------------------------------
// Metadata (flags or FILE.meta.json)

const required = (label: string, flag: string) => {
  const message = `缺少${label}（--${flag}，或 .meta.json 里的 "${flagToKey(flag)}"）`;
  return z.string({ error: message }).trim().min(1, message);
};
const optionalText = z.string().trim().min(1).optional();
const count = (label: string) =>
  z
    .union([z.number().int().nonnegative(), z.string().trim().regex(/^\d+$/).transform(Number)], {
      error: `${label}须为不小于 0 的整数`,
    })
    .optional();

function flagToKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, letter: string) => letter.toUpperCase());
}

/** What the table itself does not say about the announcement. */
export const importMetaSchema = z.object({
  title: required('公告标题', 'title'),
  issuer: required('发布机关', 'issuer'),
  date: required('发布日期', 'date'),
  category: required('产品类别', 'category'),
  region: required('地区', 'region'),
  sourceUrl: z.url({ error: '缺少原文网址或网址无效（--source-url）：每条公告都要链接到正式发布的原文' }),
  stage: optionalText,
  batchesSampled: count('抽查批次数（--batches-sampled）'),
  batchesFailed: count('不合格批次数（--batches-failed）'),
  summary: optionalText,
  sourceNote: optionalText,
});
export type ImportMeta = z.input<typeof importMetaSchema>;

/** The command-line flags, in the order `--help` lists them. */
export const META_FLAGS = [
  'title',
  'issuer',
  'date',
  'category',
  'region',
  'stage',
  'batches-sampled',
  'batches-failed',
  'source-url',
  'source-note',
  'summary',
] as const;
export const metaKeyOfFlag = flagToKey;

// ---------------------------------------------------------------------------------------------
// Everything together

export type ImportResult =
  | { ok: true; announcement: Announcement; linkedItems: number; totalItems: number }
  | { ok: false; problems: ImportProblem[] };

function pathText(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
}

/**
 * Builds the announcement from the CSV text, its metadata and the explanations failed items
 * may link to. Every problem found is reported at once, so staff fix the file in one pass.
 */
export function importAnnouncement(
  csvText: string,
  meta: unknown,
  explanations: readonly ExplanationCandidate[],
): ImportResult {
  const problems: ImportProblem[] = [];
  const parsedMeta = importMetaSchema.safeParse(meta);
  if (!parsedMeta.success) {
    for (const issue of parsedMeta.error.issues) problems.push({ line: null, message: issue.message });
  }
  const date = parsePublishedDate(parsedMeta.data?.date);
  if (parsedMeta.success) {
    if (!date.year || !publishedDateSchema.safeParse(date).success) {
      problems.push({ line: null, message: `发布日期“${parsedMeta.data.date}”无法识别：请写成 YYYY-MM-DD，例如 2025-03-18` });
    }
  }

  const category = parsedMeta.data?.category ?? '';
  const { rows, problems: rowProblems } = readFailedProducts(csvText, category, explanations);
  problems.push(...rowProblems);

  const m = parsedMeta.data;
  if (m?.batchesFailed !== undefined && rows.length > m.batchesFailed) {
    problems.push({
      line: null,
      message: `表中列出 ${rows.length} 个不合格产品，多于不合格批次数 ${m.batchesFailed}（--batches-failed）`,
    });
  }
  if (!m || problems.length > 0) return { ok: false, problems };

  const parsed = announcementSchema.safeParse({
    title: m.title,
    issuer: m.issuer,
    date,
    category: m.category,
    region: m.region,
    stages: stagesFromText(m.stage),
    stageNote: m.stage ?? null,
    batches: { sampled: m.batchesSampled ?? null, failed: m.batchesFailed ?? null },
    summary: m.summary ?? '',
    failedProducts: rows.map((row) => row.product),
    source: { url: m.sourceUrl, note: m.sourceNote ?? null },
  });
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const [first, index] = issue.path;
        const row = first === 'failedProducts' && typeof index === 'number' ? rows[index] : undefined;
        return row
          ? { line: row.line, endLine: row.endLine, message: `${issue.message}（${pathText(issue.path.slice(2))}）` }
          : { line: null, message: `${pathText(issue.path)}：${issue.message}` };
      }),
    };
  }
  const items = parsed.data.failedProducts.flatMap((product) => product.failedItems);
  return {
    ok: true,
    announcement: parsed.data,
    linkedItems: items.filter((item) => item.explanation).length,
    totalItems: items.length,
  };
}

/**
 * The file name (without .json) for an announcement, from its year, region and category.
 * `existing` maps slugs already in the folder to their source URLs: a slug held by another
 * announcement is skipped (…-2, …-3), one held by the same source is returned with
 * `replaces: true` so the caller can refuse to overwrite it.
 */
export function announcementSlug(
  announcement: Pick<Announcement, 'date' | 'region' | 'category' | 'source'>,
  existing: ReadonlyMap<string, string | null>,
): { slug: string; replaces: boolean } {
  const base = slugify(`${announcement.date.year ?? 'nd'} ${announcement.region} ${announcement.category}`, 44);
  const heldByOthers = new Set([...existing].filter(([, url]) => url !== announcement.source.url).map(([slug]) => slug));
  const slug = uniqueSlug(base, heldByOthers);
  return { slug, replaces: existing.has(slug) };
}
