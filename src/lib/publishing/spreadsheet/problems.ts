/** What is wrong with a table of failed products: a problem and the row it is on, in the words staff read. */

/**
 * A problem with the input. `line` is the row staff see: the sheet's row number in Excel/WPS, the
 * physical line of a CSV (header = 1), the row of a form; null for the announcement's facts.
 */
export interface ImportProblem {
  line: number | null;
  /** Last line of a CSV record whose quoted cells span several lines. */
  endLine?: number;
  message: string;
}

/** Machine-readable kinds of table problems, for the API's problem list and the admin's highlighting. */
export const TABLE_PROBLEM_CODES = [
  'EMPTY_TABLE',
  'NO_ROWS',
  'UNKNOWN_COLUMN',
  'DUPLICATE_COLUMN',
  'MISSING_COLUMN',
  'CELL_EMPTY',
  'CELL_TOO_LONG',
  'CELL_FORMULA_ERROR',
  'CELL_WITHOUT_COLUMN',
  'TOO_MANY_ROWS',
  'CSV_SYNTAX',
] as const;
export type TableProblemCode = (typeof TABLE_PROBLEM_CODES)[number];

/** A problem in the table itself: its row, its column as the table names it, and the cell's value. */
export interface TableProblem extends ImportProblem {
  code: TableProblemCode;
  /** The column as staff know it (its header, or 「第 3 列（C 列）」); null for a whole-row problem. */
  column: string | null;
  /** The cell's text (shortened), null when the problem is not about one cell. */
  value: string | null;
}

/** 「第 7 行：…」, 「第 3–5 行：…」 for a CSV record over several lines, the bare message for the facts. */
export function formatProblem(problem: ImportProblem): string {
  if (problem.line === null) return problem.message;
  const where =
    problem.endLine !== undefined && problem.endLine !== problem.line
      ? `第 ${problem.line}–${problem.endLine} 行`
      : `第 ${problem.line} 行`;
  return `${where}：${problem.message}`;
}

/** A cell's text as quoted in a message: short enough to read, long enough to find in the sheet. */
export function quoteCell(value: string, length = 20): string {
  const oneLine = value.replace(/\s+/g, ' ').trim();
  return oneLine.length > length ? `${oneLine.slice(0, length)}…` : oneLine;
}
