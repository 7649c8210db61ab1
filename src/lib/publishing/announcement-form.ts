/**
 * The staff form of a results announcement's facts (抽查结果公告), as zod with Chinese messages: what
 * a person types becomes the `content/` announcement shape, and a stored announcement becomes the
 * form's values again. The failed-products table is not part of this form (it comes from the
 * spreadsheet upload and the rows form), so saving the facts keeps the table as it is.
 */
import { z } from 'zod';
import { SAMPLING_TYPES, STAGES, type Announcement, type FailedProduct } from '~/lib/content-schemas';

const text = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}不超过 ${max} 字。`)
    .transform((value) => (value === '' ? null : value));

const required = (max: number, message: string, label: string) =>
  z.string({ error: message }).trim().min(1, message).max(max, `${label}不超过 ${max} 字。`);

/** A count of batches: empty when the source gives none, otherwise a whole number. */
const batchCount = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{0,6}$/, `${label}须为整数，原文未给出时请留空。`)
    .transform((value) => (value === '' ? null : Number(value)));

/** A calendar day typed as YYYY-MM-DD; `new Date` would roll 2025-02-31 over to March, so round-trip. */
function isCalendarDay(value: string): boolean {
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** The first plausible year in the source's wording of its date ("2014年第四季度" → 2014). */
export function yearInText(wording: string): number | undefined {
  const match = /(?:^|\D)((?:19|20)\d{2})(?!\d)/.exec(wording);
  return match ? Number(match[1]) : undefined;
}

export const announcementFactsSchema = z
  .object({
    title: required(200, '请填写公告标题。', '公告标题'),
    issuer: required(100, '请填写发布机构。', '发布机构'),
    dateIso: z
      .string()
      .trim()
      .refine((value) => value === '' || (/^\d{4}-\d{2}-\d{2}$/.test(value) && isCalendarDay(value)), {
        message: '发布日期须为有效日期，写成 YYYY-MM-DD（例如 2025-03-18）。',
      }),
    dateText: text(100, '原文日期写法'),
    category: required(60, '请填写产品类别。', '产品类别'),
    region: required(60, '请填写地区（例如 上海市青浦区）。', '地区'),
    stages: z.array(z.enum(STAGES, { error: '抽查环节无效。' })).max(STAGES.length),
    stageNote: text(200, '环节原文'),
    samplingType: z.union([z.literal(''), z.enum(SAMPLING_TYPES)], { error: '请选择抽查类型。' }),
    batchesSampled: batchCount('抽查批次'),
    batchesFailed: batchCount('不合格批次'),
    passRateStated: text(100, '原文所述合格率'),
    rules: text(200, '实施细则或标准'),
    summary: z.string().trim().max(5000, '抽查情况不超过 5000 字。'),
    sourceUrl: z
      .string({ error: '请填写信息来源网址。' })
      .trim()
      .min(1, '请填写信息来源网址（原文所在的网页）。')
      .max(500, '信息来源网址过长。')
      .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
        message: '信息来源网址须以 http:// 或 https:// 开头。',
      }),
    sourceNote: text(300, '来源说明'),
  })
  .superRefine((facts, context) => {
    if (facts.dateIso === '' && facts.dateText === null) {
      context.addIssue({
        code: 'custom',
        path: ['dateIso'],
        message: '请填写发布日期；原文没有具体日期时，请在“原文日期写法”中照录原文（例如 2014年第四季度）。',
      });
    }
    if (facts.batchesSampled !== null && facts.batchesFailed !== null && facts.batchesFailed > facts.batchesSampled) {
      context.addIssue({ code: 'custom', path: ['batchesFailed'], message: '不合格批次数不能大于抽查批次数。' });
    }
  });

export type AnnouncementFacts = z.output<typeof announcementFactsSchema>;

/** Field names the form sends more than once. */
export const FACTS_REPEATED_FIELDS = ['stages'] as const;

/**
 * The announcement these facts describe, keeping what the form does not edit (the failed products,
 * the plan link, the day of first publication) from `base`. A new draft has no base: its
 * `firstPublishedAt` starts as `today` and the workflow sets it again at the first publication.
 */
export function announcementFromFacts(
  facts: AnnouncementFacts,
  base: Pick<Announcement, 'failedProducts' | 'firstPublishedAt' | 'planItem' | 'example'> | null,
  today: string,
): Announcement {
  const year = facts.dateIso !== '' ? Number(facts.dateIso.slice(0, 4)) : yearInText(facts.dateText ?? '');
  return {
    title: facts.title,
    titleComposed: false,
    issuer: facts.issuer,
    date: {
      text: facts.dateText,
      ...(facts.dateIso !== '' ? { iso: facts.dateIso } : {}),
      ...(year !== undefined ? { year } : {}),
    },
    category: facts.category,
    region: facts.region,
    stages: STAGES.filter((stage) => facts.stages.includes(stage)),
    stageNote: facts.stageNote,
    ...(facts.samplingType !== '' ? { samplingType: facts.samplingType } : {}),
    batches: { sampled: facts.batchesSampled, failed: facts.batchesFailed },
    passRateStated: facts.passRateStated,
    rules: facts.rules,
    summary: facts.summary,
    failedProducts: base?.failedProducts ?? [],
    ...(base?.planItem !== undefined ? { planItem: base.planItem } : {}),
    source: { url: facts.sourceUrl, note: facts.sourceNote },
    firstPublishedAt: base?.firstPublishedAt ?? today,
    example: base?.example ?? false,
  };
}

/** The form's values for a stored announcement (or an empty form). */
export function factsFormValues(announcement: Announcement | null): Record<string, unknown> {
  if (!announcement) return { stages: [], samplingType: '' };
  const a = announcement;
  return {
    title: a.title,
    issuer: a.issuer,
    dateIso: a.date.iso ?? '',
    dateText: a.date.text ?? '',
    category: a.category,
    region: a.region,
    stages: a.stages,
    stageNote: a.stageNote ?? '',
    samplingType: a.samplingType ?? '',
    batchesSampled: a.batches.sampled === null ? '' : String(a.batches.sampled),
    batchesFailed: a.batches.failed === null ? '' : String(a.batches.failed),
    passRateStated: a.passRateStated ?? '',
    rules: a.rules ?? '',
    summary: a.summary,
    sourceUrl: a.source.url,
    sourceNote: a.source.note ?? '',
  };
}

/** A failed item that links to no explanation yet (缺口): which row, and the item as published. */
export interface ExplanationGap {
  /** 1-based row of the failed-products table. */
  row: number;
  productName: string;
  itemText: string;
}

export function explanationGaps(products: readonly FailedProduct[]): ExplanationGap[] {
  return products.flatMap((product, index) =>
    product.failedItems
      .filter((item) => !item.explanation)
      .map((item) => ({ row: index + 1, productName: product.productName, itemText: item.text })),
  );
}

/** The gaps of a table as the staff list shows them: 「无」, or 「2 / 7 项」 of the failed items. */
export function explanationGapCount(products: readonly FailedProduct[]): string {
  const items = products.reduce((sum, product) => sum + product.failedItems.length, 0);
  if (items === 0) return '—';
  const gaps = explanationGaps(products).length;
  return gaps === 0 ? '无' : `${gaps} / ${items} 项`;
}
