/**
 * The table's header → which product field each column holds: the usual names staff write, and
 * the mapping staff choose for the columns those names do not cover.
 */
import { z } from 'zod';
import type { FailedProduct } from '~/lib/content-schemas';
import { quoteCell, type TableProblem } from './problems';
import { columnPosition, isBlankRow, type TableRow } from './table';

export type ProductField = keyof Omit<FailedProduct, 'failedItems'> | 'failedItems' | 'seq';

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

export const PRODUCT_FIELDS = Object.keys(COLUMN_ALIASES) as ProductField[];
export const REQUIRED_COLUMNS: readonly ProductField[] = ['productName', 'failedItems'];

/** The name a field goes by in messages and in the mapping's choices. */
export const fieldLabel = (field: ProductField): string => COLUMN_ALIASES[field][0]!;

/** What staff may map an unrecognised column to: one of the fields, or 「不导入」. */
export const COLUMN_IGNORED = 'ignore';
export type ColumnTarget = ProductField | typeof COLUMN_IGNORED;

/** Header text (as written in the file) → field. Bounded: a header row has at most a few dozen columns. */
export const columnMappingSchema = z
  .record(z.string().trim().min(1).max(200), z.enum([...PRODUCT_FIELDS, COLUMN_IGNORED]), {
    error: '列对应关系应是“表头 → 字段”的对象',
  })
  .refine((mapping) => Object.keys(mapping).length <= 100, '列对应关系最多 100 项');
export type ColumnMapping = Readonly<Record<string, ColumnTarget>>;

export function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, '')
    .replace(/／/g, '/');
}

const headerLookup = new Map<string, ProductField>(
  Object.entries(COLUMN_ALIASES).flatMap(([field, names]) => names.map((name) => [name, field as ProductField])),
);

/** A column the usual names do not cover, with a few of its values so staff can tell what it holds. */
export interface UnknownColumn {
  /** 1-based position. */
  index: number;
  header: string;
  samples: string[];
}

export interface ColumnPlan {
  /** The header row's line. */
  headerLine: number;
  /** Field of each column: 「不导入」 (its cells are skipped), or null for a column without a header. */
  columns: Array<ColumnTarget | null>;
  /** How many columns the header has (cells after it hold nothing that belongs to a column). */
  headerWidth: number;
  unknownColumns: UnknownColumn[];
  problems: TableProblem[];
}

/** Titles and notes above the header are common; the header is looked for in the first rows. */
const HEADER_SEARCH_ROWS = 10;

function targetOf(raw: string, mapping: ColumnMapping): ColumnTarget | undefined {
  const name = normaliseHeader(raw);
  const mapped = Object.entries(mapping).find(([header]) => normaliseHeader(header) === name)?.[1];
  return mapped ?? headerLookup.get(name);
}

/**
 * The header row: the first of the first rows that names at least two known columns (a title row
 * above it names none), else the first row with anything in it.
 */
export function findHeaderRow(rows: readonly TableRow[], mapping: ColumnMapping): number {
  const candidates = rows.map((row, index) => ({ row, index })).filter(({ row }) => !isBlankRow(row));
  const named = candidates
    .slice(0, HEADER_SEARCH_ROWS)
    .find(({ row }) => row.cells.filter((cell) => cell.trim() && targetOf(cell, mapping) !== undefined).length >= 2);
  return (named ?? candidates[0])?.index ?? -1;
}

const SAMPLES_PER_COLUMN = 3;

/**
 * The field of each column. Problems when a header is unknown (and not mapped), when two columns
 * hold the same field, or when a required one is missing.
 */
export function planColumns(header: TableRow, body: readonly TableRow[], mapping: ColumnMapping): ColumnPlan {
  const problems: TableProblem[] = [];
  const unknownColumns: UnknownColumn[] = [];
  const columns: Array<ColumnTarget | null> = [];
  const seen = new Map<ProductField, string>();
  const at = { line: header.line, endLine: header.endLine };
  header.cells.forEach((raw, offset) => {
    const index = offset + 1;
    const shown = raw.trim();
    if (!normaliseHeader(raw)) {
      columns.push(null);
      return;
    }
    const target = targetOf(raw, mapping);
    if (target === COLUMN_IGNORED) {
      columns.push(COLUMN_IGNORED);
      return;
    }
    if (!target) {
      const samples = body
        .map((row) => row.cells[offset]?.trim() ?? '')
        .filter(Boolean)
        .slice(0, SAMPLES_PER_COLUMN)
        .map((cell) => quoteCell(cell));
      unknownColumns.push({ index, header: shown, samples });
      problems.push({
        ...at,
        code: 'UNKNOWN_COLUMN',
        column: shown,
        value: shown,
        message: `不认识的列「${shown}」（${columnPosition(index)}）：请选择它对应的字段或“不导入”。可用的列名：${Object.values(COLUMN_ALIASES).flat().join('、')}`,
      });
      columns.push(null);
      return;
    }
    const earlier = seen.get(target);
    if (earlier) {
      problems.push({
        ...at,
        code: 'DUPLICATE_COLUMN',
        column: shown,
        value: shown,
        message: `「${earlier}」和「${shown}」（${columnPosition(index)}）都是「${fieldLabel(target)}」，只能保留一列`,
      });
    }
    seen.set(target, shown);
    columns.push(target);
  });
  for (const field of REQUIRED_COLUMNS) {
    if (!seen.has(field)) {
      problems.push({
        ...at,
        code: 'MISSING_COLUMN',
        column: fieldLabel(field),
        value: null,
        message: `缺少「${fieldLabel(field)}」列（表头写法：${COLUMN_ALIASES[field].join(' 或 ')}）`,
      });
    }
  }
  return { headerLine: header.line, columns, headerWidth: header.cells.length, unknownColumns, problems };
}
