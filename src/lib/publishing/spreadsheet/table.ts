/** A decoded table, whatever file it came from: rows of cell strings that know where they are. */
import type { TableProblem } from './problems';

export interface TableRow {
  cells: string[];
  /** The row staff see (sheet row number, or the CSV's physical line; 1-based). */
  line: number;
  /** Last physical line of a CSV record whose quoted cells hold line breaks; `line` otherwise. */
  endLine: number;
}

export type TableFormat = 'xlsx' | 'csv' | 'form';

export interface SpreadsheetTable {
  format: TableFormat;
  /** Every row of the sheet, title rows above the header included (the header is found among them). */
  rows: TableRow[];
  /** Problems met while reading (a CSV quote that never closes), reported with the rows' own. */
  readProblems: TableProblem[];
}

/**
 * Bounds of one table, whatever its source: the reader refuses files beyond them before doing work
 * proportional to their size, and the form path refuses longer lists.
 */
export const TABLE_LIMITS = {
  rows: 5000,
  columns: 40,
  charsPerCell: 2000,
} as const;

/** Excel's name of a column: 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let n = index;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** 「第 3 列（C 列）」: both the count and the letter Excel and WPS show above the sheet. */
export function columnPosition(index: number): string {
  return `第 ${index} 列（${columnLetter(index)} 列）`;
}

export const isBlankRow = (row: TableRow): boolean => row.cells.every((cell) => !cell.trim());
