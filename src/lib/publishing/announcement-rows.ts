/**
 * The failed-products table as a staff form: one text field per cell (`row-<n>-<field>`), the failed
 * items of a row in one field separated by 「；」, and buttons that add a row or remove one. Adding or
 * removing only redraws the form; 保存表格 checks every row (lib/publishing/spreadsheet) and saves.
 */
import type { FailedProduct } from '~/lib/content-schemas';

export const FORM_ROW_FIELDS = [
  'productName',
  'brand',
  'modelSpec',
  'batchOrDate',
  'manufacturer',
  'sampledUnit',
  'failedItems',
  'inspectionBody',
] as const;
export type FormRowField = (typeof FORM_ROW_FIELDS)[number];
export type RowValues = Record<FormRowField, string>;

/**
 * Rows the form edits at most: a form post stays within the staff body limit (256 KiB) even with
 * long Chinese cells; longer tables are corrected in the spreadsheet and uploaded again.
 */
export const MAX_FORM_ROWS = 200;

export const rowField = (index: number, field: FormRowField) => `row-${index}-${field}`;

export const emptyRow = (): RowValues => Object.fromEntries(FORM_ROW_FIELDS.map((field) => [field, ''])) as RowValues;

export function rowValuesOf(product: FailedProduct): RowValues {
  return {
    productName: product.productName,
    brand: product.brand ?? '',
    modelSpec: product.modelSpec ?? '',
    batchOrDate: product.batchOrDate ?? '',
    manufacturer: product.manufacturer ?? '',
    sampledUnit: product.sampledUnit ?? '',
    failedItems: product.failedItems.map((item) => item.text).join('；'),
    inspectionBody: product.inspectionBody ?? '',
  };
}

/** The rows the form sent, in order; reading stops one past the cap, so the cap can be told. */
export function rowsFromForm(form: URLSearchParams): RowValues[] {
  const rows: RowValues[] = [];
  for (let index = 0; index <= MAX_FORM_ROWS && form.has(rowField(index, 'productName')); index++) {
    rows.push(
      Object.fromEntries(FORM_ROW_FIELDS.map((field) => [field, form.get(rowField(index, field)) ?? ''])) as RowValues,
    );
  }
  return rows;
}

/** The form after its button: 添加一行 (`add`), 删除第 n 行 (`remove:<n-1>`), or 保存表格 (anything else). */
export function rowsWithAction(
  rows: RowValues[],
  action: string | null,
): { rows: RowValues[]; redrawOnly: boolean; notice: string | null } {
  if (action === 'add')
    return { rows: [...rows, emptyRow()], redrawOnly: true, notice: '已添加一行，填好后请点“保存表格”。' };
  const remove = /^remove:(\d{1,4})$/.exec(action ?? '');
  if (remove) {
    const index = Number(remove[1]);
    if (index < rows.length)
      return {
        rows: rows.filter((_, at) => at !== index),
        redrawOnly: true,
        notice: `已从表单中删除第 ${index + 1} 行，请点“保存表格”保存。`,
      };
  }
  return { rows, redrawOnly: false, notice: null };
}
