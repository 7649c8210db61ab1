/** Records → failed products: each row checked against the columns, with the line of every problem. */
import type { FailedProduct } from '~/lib/content-schemas';
import { matchExplanation, splitFailedItems, type ExplanationCandidate } from '~/lib/sampling/normalise';
import { COLUMN_ALIASES, mapColumns, REQUIRED_COLUMNS, type ProductField } from './columns';
import type { ImportProblem } from './problems';
import { parseCsvRecords } from './records';

/** A cell longer than this is almost always two rows run together by a stray quote. */
export const MAX_CELL_LENGTH = 1000;

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
    return {
      rows: [],
      problems: [parseProblem ?? { line: 1, message: '文件是空的，第一行应是表头（产品名称、不合格项目等）' }],
    };
  }

  const { columns, problems: headerProblems } = mapColumns(header);
  problems.push(...headerProblems);
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
