/**
 * The staff's choice for each column of an uploaded table that the usual names do not cover: the
 * form sends the header (`columnHeader-<n>`) and the field chosen for it (`columnTarget-<n>`).
 */
import type { FieldError } from '~/lib/admin/forms';
import {
  COLUMN_IGNORED,
  columnMappingSchema,
  fieldLabel,
  PRODUCT_FIELDS,
  type ColumnMapping,
  type ColumnTarget,
} from '~/lib/publishing/spreadsheet/columns';

export const columnHeaderField = (index: number) => `columnHeader-${index}`;
export const columnTargetField = (index: number) => `columnTarget-${index}`;

/** The choices of the select, in the order staff read them; 不导入 last. */
export const COLUMN_TARGET_OPTIONS: { value: ColumnTarget; label: string }[] = [
  ...PRODUCT_FIELDS.map((field) => ({ value: field, label: fieldLabel(field) })),
  { value: COLUMN_IGNORED, label: '不导入这一列' },
];

/** A header row has at most the reader's column cap; the loop is bounded by it. */
const MAX_COLUMNS = 100;

export function columnMappingFromForm(
  form: URLSearchParams,
): { ok: true; mapping: ColumnMapping } | { ok: false; errors: FieldError[] } {
  const entries: [string, string][] = [];
  const errors: FieldError[] = [];
  for (let index = 1; index <= MAX_COLUMNS; index++) {
    const header = form.get(columnHeaderField(index));
    if (header === null) continue;
    const target = form.get(columnTargetField(index)) ?? '';
    if (target === '')
      errors.push({
        field: columnTargetField(index),
        message: `请为「${header}」列选择对应的字段，或选“不导入这一列”。`,
      });
    else entries.push([header, target]);
  }
  if (errors.length > 0) return { ok: false, errors };
  const parsed = columnMappingSchema.safeParse(Object.fromEntries(entries));
  if (!parsed.success)
    return { ok: false, errors: [{ field: 'table-file', message: '列对应关系无效，请重新上传文件。' }] };
  return { ok: true, mapping: parsed.data };
}
