/**
 * The sampling plan as CSV for Excel and WPS and as JSON. CSV: UTF-8 with a BOM (so both detect
 * the encoding), CRLF line ends, every field quoted, and a leading apostrophe on cells that begin
 * with = + - @ (or a tab/CR), which spreadsheet programs would otherwise run as formulas.
 */
import type { PlanItem } from './types';
import { orderPlanItems } from './plan-rules';

export const CSV_BOM = '\uFEFF';

export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return CSV_BOM + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const PLAN_CSV_HEADERS = [
  '年度',
  '序号',
  '产品类别',
  '抽查方式',
  '实施季度',
  '计划批次',
  '抽样环节',
  '来源',
  '征集活动',
  '纳入理由',
  '最后修改人',
  '最后修改时间',
] as const;

export function quartersText(quarters: readonly number[]): string {
  return `第${[...quarters].sort().join('、')}季度`;
}

export function planCsv(items: readonly PlanItem[], nominationLabels: ReadonlyMap<string, string>): string {
  const rows = orderPlanItems(items).map((item, index) => [
    item.year,
    index + 1,
    item.category,
    item.method,
    quartersText(item.quarters),
    item.plannedBatches,
    item.stages.join('、'),
    `群众点题：${nominationLabels.get(`${item.campaignId}|${item.nomination}`) ?? item.nomination}`,
    item.campaignId,
    item.reason,
    item.updatedBy,
    item.updatedAt,
  ]);
  return toCsv([PLAN_CSV_HEADERS, ...rows]);
}

export interface PlanJson {
  year: number;
  exportedAt: string;
  items: (Omit<PlanItem, 'createdBy' | 'updatedBy' | 'version'> & { seq: number; nominationLabel: string | null })[];
}

export function planJson(
  year: number,
  items: readonly PlanItem[],
  nominationLabels: ReadonlyMap<string, string>,
  now: Date,
): PlanJson {
  return {
    year,
    exportedAt: now.toISOString(),
    items: orderPlanItems(items).map(({ createdBy: _c, updatedBy: _u, version: _v, ...item }, index) => ({
      ...item,
      seq: index + 1,
      nominationLabel: nominationLabels.get(`${item.campaignId}|${item.nomination}`) ?? null,
    })),
  };
}
