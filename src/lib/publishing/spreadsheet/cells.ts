/**
 * One row's cells → one failed product: the rules every row obeys, whether it came from a file or
 * was typed into the admin's form.
 */
import { failedProductSchema, type FailedItem, type FailedProduct } from '~/lib/content-schemas';
import { splitFailedItems } from '~/lib/sampling/normalise';
import { fieldLabel, REQUIRED_COLUMNS, type ProductField } from './columns';
import { quoteCell, type TableProblem } from './problems';

/**
 * Longest text of each field. Published tables stay far below (the sample content's longest
 * 被抽样单位 has 44 characters); a longer cell is almost always two rows run together.
 */
export const FIELD_MAX_LENGTH: Readonly<Record<Exclude<ProductField, 'seq'>, number>> = {
  productName: 200,
  brand: 100,
  modelSpec: 200,
  batchOrDate: 100,
  manufacturer: 200,
  sampledUnit: 200,
  failedItems: 1000,
  inspectionBody: 200,
};

/** "/" and dashes mean "not applicable" in these tables; the source's other words are kept. */
const emptyCell = (value: string): boolean => /^[/／\-—–－\s]*$/.test(value);

/** What Excel and WPS show in a cell whose formula failed. */
const FORMULA_ERROR = /^#(?:REF!|N\/A|VALUE!|DIV\/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$/i;

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

export interface RowPlace {
  line: number;
  endLine: number;
}

/** A row's raw cells by field (a field may be absent: its column is not in the table). */
export type RowCells = Partial<Record<ProductField, string>>;

/** Items already split (the admin form keeps each item with the explanation staff confirmed). */
export type ItemsInput = string | readonly FailedItem[];

/**
 * Checks one row and builds its product, or says what is wrong with each cell, naming the
 * column (`columnName` gives the table's own header for a field) and quoting the value.
 */
export function productFromCells(
  cells: RowCells,
  items: ItemsInput | undefined,
  at: RowPlace,
  columnName: (field: ProductField) => string = fieldLabel,
): { product: FailedProduct } | { problems: TableProblem[] } {
  const problems: TableProblem[] = [];
  const values: Partial<Record<ProductField, string | null>> = {};
  const problem = (field: ProductField, code: TableProblem['code'], value: string | null, message: string) =>
    problems.push({ ...at, code, column: columnName(field), value, message: `「${columnName(field)}」${message}` });

  const check = (field: Exclude<ProductField, 'seq'>, raw: string): boolean => {
    const limit = FIELD_MAX_LENGTH[field];
    if (raw.trim().length > limit) {
      problem(
        field,
        'CELL_TOO_LONG',
        quoteCell(raw),
        `过长（${raw.trim().length} 字，上限 ${limit} 字）：“${quoteCell(raw)}”。常见原因：引号没有配对，把后面几行并进了同一格`,
      );
      return false;
    }
    const formulaError = FORMULA_ERROR.exec(raw.trim());
    if (formulaError) {
      problem(
        field,
        'CELL_FORMULA_ERROR',
        raw.trim(),
        `是公式错误 ${raw.trim()}：请在表格里改正公式，或把公式换成它应得的值`,
      );
      return false;
    }
    return true;
  };

  for (const [key, raw] of Object.entries(cells) as Array<[ProductField, string]>) {
    if (key === 'seq' || key === 'failedItems') continue;
    if (check(key, raw)) values[key] = cellText(raw);
  }

  let failedItems: FailedItem[] = [];
  if (typeof items === 'string') {
    if (check('failedItems', items)) {
      failedItems = splitFailedItems(cellText(failedItemsText(items))).map((text) => ({ text }));
    }
  } else if (items) {
    failedItems = items.flatMap((item) => {
      const text = cellText(item.text);
      return text ? [{ ...item, text }] : [];
    });
    check('failedItems', failedItems.map((item) => item.text).join('；'));
  }

  for (const field of REQUIRED_COLUMNS) {
    const present = field === 'failedItems' ? failedItems.length > 0 : Boolean(values[field]);
    const alreadyReported = problems.some((p) => p.column === columnName(field));
    if (!present && !alreadyReported) problem(field, 'CELL_EMPTY', '', '为空');
  }
  if (problems.length > 0) return { problems };

  return {
    product: failedProductSchema.parse({
      productName: values.productName,
      brand: values.brand ?? null,
      modelSpec: values.modelSpec ?? null,
      batchOrDate: values.batchOrDate ?? null,
      manufacturer: values.manufacturer ?? null,
      sampledUnit: values.sampledUnit ?? null,
      failedItems,
      inspectionBody: values.inspectionBody ?? null,
    }),
  };
}
