/**
 * A decoded table → failed products, or every problem at once with its row and column. Nothing is
 * half-read: one problem anywhere means no rows at all.
 */
import type { FailedProduct } from '~/lib/content-schemas';
import {
  COLUMN_IGNORED,
  fieldLabel,
  findHeaderRow,
  planColumns,
  type ColumnMapping,
  type ProductField,
  type UnknownColumn,
} from './columns';
import { productFromCells, type RowCells, type RowPlace } from './cells';
import { quoteCell, type TableProblem } from './problems';
import { columnPosition, isBlankRow, TABLE_LIMITS, type SpreadsheetTable } from './table';

export type TableReading =
  | {
      ok: true;
      rows: FailedProduct[];
      /** Where each row came from, by index of `rows`. */
      places: RowPlace[];
      headerLine: number;
    }
  | {
      ok: false;
      problems: TableProblem[];
      /** Columns whose header no known name covers: the admin offers a choice for each. */
      unknownColumns: UnknownColumn[];
    };

export interface ReadOptions {
  /** Staff's choice for headers the usual names do not cover (header text → field or "ignore"). */
  columnMapping?: ColumnMapping;
}

/** Reads the table: a header (found among the first rows), then one failed product per row after it. */
export function readFailedProducts(table: SpreadsheetTable, options: ReadOptions = {}): TableReading {
  const mapping = options.columnMapping ?? {};
  const headerIndex = findHeaderRow(table.rows, mapping);
  const header = table.rows[headerIndex];
  if (!header) {
    return {
      ok: false,
      unknownColumns: [],
      problems: table.readProblems.length
        ? table.readProblems
        : [
            {
              line: 1,
              code: 'EMPTY_TABLE',
              column: null,
              value: null,
              message: '表格是空的，第一行应是表头（产品名称、不合格项目等）',
            },
          ],
    };
  }
  const body = table.rows.slice(headerIndex + 1).filter((row) => !isBlankRow(row));
  const plan = planColumns(header, body, mapping);
  if (plan.problems.length > 0) {
    return { ok: false, problems: [...plan.problems, ...table.readProblems], unknownColumns: plan.unknownColumns };
  }
  if (body.length > TABLE_LIMITS.rows) {
    return {
      ok: false,
      unknownColumns: [],
      problems: [
        {
          line: null,
          code: 'TOO_MANY_ROWS',
          column: null,
          value: String(body.length),
          message: `表中有 ${body.length} 行，超过 ${TABLE_LIMITS.rows} 行的上限：请分成几份上传`,
        },
      ],
    };
  }

  const headerName = (field: ProductField): string => {
    const index = plan.columns.indexOf(field);
    return index >= 0 ? header.cells[index]!.trim() : fieldLabel(field);
  };
  const problems: TableProblem[] = [];
  const rows: FailedProduct[] = [];
  const places: RowPlace[] = [];
  for (const row of body) {
    const at = { line: row.line, endLine: row.endLine };
    const cells: RowCells = {};
    let strayCell = false;
    row.cells.forEach((cell, offset) => {
      const field = plan.columns[offset];
      if (field === COLUMN_IGNORED) return;
      if (field) {
        cells[field] = cell;
        return;
      }
      if (!cell.trim()) return;
      const index = offset + 1;
      const beyondHeader = offset >= plan.headerWidth;
      // In a CSV, cells beyond the header are one mistake (an unquoted comma), told once per row.
      if (strayCell && beyondHeader && table.format === 'csv') return;
      strayCell = true;
      problems.push({
        ...at,
        code: 'CELL_WITHOUT_COLUMN',
        column: columnPosition(index),
        value: quoteCell(cell),
        message:
          beyondHeader && table.format === 'csv'
            ? `这一行有 ${row.cells.length} 格，比表头多（单元格里的逗号要用双引号括起来）`
            : `${columnPosition(index)}有内容“${quoteCell(cell)}”，但这一列没有列名：请补上表头，或删掉这些内容`,
      });
    });
    const result = productFromCells(cells, cells.failedItems ?? '', at, headerName);
    if ('problems' in result) problems.push(...result.problems);
    else if (!strayCell) {
      rows.push(result.product);
      places.push(at);
    }
  }
  problems.push(...table.readProblems);
  if (problems.length > 0) return { ok: false, problems, unknownColumns: [] };
  if (rows.length === 0) {
    return {
      ok: false,
      unknownColumns: [],
      problems: [
        {
          line: null,
          code: 'NO_ROWS',
          column: null,
          value: null,
          message: '表中没有不合格产品：表头下面至少要有一行',
        },
      ],
    };
  }
  return { ok: true, rows, places, headerLine: plan.headerLine };
}
