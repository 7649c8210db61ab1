/**
 * Rows typed or corrected in the admin's form: the same rules as a file's rows, numbered as the
 * form shows them (第 1 行 is the first row of the form).
 */
import type { FailedProduct } from '~/lib/content-schemas';
import { productFromCells, type ItemsInput, type RowCells } from './cells';
import type { TableProblem } from './problems';
import { TABLE_LIMITS } from './table';

/**
 * One row of the form, or of a failed product sent as JSON (its nulls are empty cells).
 * `failedItems` is the cell's text, or the items each with the explanation staff confirmed.
 */
export interface FormRow {
  productName?: string | null | undefined;
  brand?: string | null | undefined;
  modelSpec?: string | null | undefined;
  batchOrDate?: string | null | undefined;
  manufacturer?: string | null | undefined;
  sampledUnit?: string | null | undefined;
  inspectionBody?: string | null | undefined;
  failedItems?: ItemsInput | null | undefined;
}

export type FormRowsReading = { ok: true; rows: FailedProduct[] } | { ok: false; problems: TableProblem[] };

/** Checks every row of the form at once; rows left entirely blank are dropped, as in a file. */
export function validateFormRows(input: readonly FormRow[]): FormRowsReading {
  if (input.length > TABLE_LIMITS.rows) {
    return {
      ok: false,
      problems: [
        {
          line: null,
          code: 'TOO_MANY_ROWS',
          column: null,
          value: String(input.length),
          message: `表中有 ${input.length} 行，超过 ${TABLE_LIMITS.rows} 行的上限`,
        },
      ],
    };
  }
  const problems: TableProblem[] = [];
  const rows: FailedProduct[] = [];
  input.forEach((raw, index) => {
    const { failedItems, ...rest } = raw;
    const cells: RowCells = Object.fromEntries(
      Object.entries(rest).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const itemsBlank =
      !failedItems ||
      (typeof failedItems === 'string' ? !failedItems.trim() : failedItems.every((item) => !item.text.trim()));
    if (itemsBlank && Object.values(cells).every((value) => !value.trim())) return;
    const line = index + 1;
    const result = productFromCells(cells, failedItems ?? '', { line, endLine: line });
    if ('problems' in result) problems.push(...result.problems);
    else rows.push(result.product);
  });
  if (problems.length > 0) return { ok: false, problems };
  if (rows.length === 0) {
    return {
      ok: false,
      problems: [
        { line: null, code: 'NO_ROWS', column: null, value: null, message: '表中没有不合格产品：至少要填一行' },
      ],
    };
  }
  return { ok: true, rows };
}
