/** The table's header → which product field each column holds, with a message for every header problem. */
import type { FailedProduct } from '~/lib/content-schemas';
import type { ImportProblem } from './problems';
import type { CsvRecord } from './records';

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

export const REQUIRED_COLUMNS: readonly ProductField[] = ['productName', 'failedItems'];

const normaliseHeader = (header: string): string =>
  header
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, '')
    .replace(/／/g, '/');

const headerLookup = new Map<string, ProductField>(
  Object.entries(COLUMN_ALIASES).flatMap(([field, names]) => names.map((name) => [name, field as ProductField])),
);

/** The field of each column (null for a column with no header); problems when a header is unknown, doubled or missing. */
export function mapColumns(header: CsvRecord): { columns: Array<ProductField | null>; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
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
      problems.push({
        line: header.line,
        message: `缺少“${COLUMN_ALIASES[field][0]}”列（表头写法：${COLUMN_ALIASES[field].join(' 或 ')}）`,
      });
    }
  }
  return { columns, problems };
}
