/**
 * Schemas of the published content (top-level `content/`).
 *
 * Pure zod: the content layer (`src/content.config.ts`), the CSV importer and the unit tests all
 * validate against these, so a file that the build accepts is exactly a file the importer may write.
 * Real records are messy; every field keeps the source's own wording where a value is uncertain
 * (`date.text`, `batches.note`) instead of guessing a number the source did not give.
 */
import { z } from 'zod';

export const STAGES = ['生产', '流通', '电商'] as const;
export const SAMPLING_TYPES = ['常规', '专项', '跟踪', '联动', '评价性'] as const;
export const PLAN_METHODS = ['监督抽查', '风险监测', '专项治理'] as const;
export const QUARTERS = [1, 2, 3, 4] as const;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期须写成 YYYY-MM-DD')
  // Date.parse('2025-02-31') is a valid time in V8 (it rolls over to March), so round-trip instead.
  .refine((value) => {
    const day = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
  }, '不是有效的日期');

/** Where a record came from. Every page made from a real record links back to it. */
export const sourceSchema = z.object({
  /** The page the record was copied from. */
  url: z.url(),
  /** How the page relates to the original (repost, mirror, cleaned text). */
  note: z.string().nullable().default(null),
});

/**
 * A publication date as the source gave it.
 * `iso` is set only when the source (or its URL) names a whole day; `year` whenever a year is known.
 */
export const publishedDateSchema = z
  .object({
    /** The source's own wording, e.g. "2014年第四季度" or "2024-01-04（据URL）". */
    text: z.string().nullable(),
    /** The day, when the source names one. */
    iso: isoDate.optional(),
    /** The year, when known. */
    year: z.number().int().min(1990).max(2100).optional(),
  })
  .refine((d) => !d.iso || Number(d.iso.slice(0, 4)) === d.year, {
    message: 'year 必须与 iso 日期的年份一致',
    path: ['year'],
  });

/** One failed test item of a product, with the explanation page it links to. */
export const failedItemSchema = z.object({
  /** The item as published, e.g. "pH值（袜套实测9.6，标准要求B类4.0~8.5）". */
  text: z.string().min(1),
  /** Slug of the explanation (`content/explanations/<slug>.json`), when one exists. */
  explanation: z.string().optional(),
});

export const failedProductSchema = z.object({
  productName: z.string().min(1),
  brand: z.string().nullable().default(null),
  modelSpec: z.string().nullable().default(null),
  /** Production date or batch number, as printed. */
  batchOrDate: z.string().nullable().default(null),
  /** 标称生产者: the manufacturer named on the product. */
  manufacturer: z.string().nullable().default(null),
  /** 被抽样单位. */
  sampledUnit: z.string().nullable().default(null),
  failedItems: z.array(failedItemSchema).default([]),
  /** 承检机构. */
  inspectionBody: z.string().nullable().default(null),
});

/** 抽查结果公告: one published result of a spot-check. */
export const announcementSchema = z
  .object({
    title: z.string().min(1),
    /** True when the source had no title and this site composed one from its facts. */
    titleComposed: z.boolean().default(false),
    issuer: z.string().min(1),
    date: publishedDateSchema,
    /** Product category as the source names it, e.g. "电线电缆". */
    category: z.string().min(1),
    /** Area covered: a district (青浦区), a city (上海市), a province, or 全国. */
    region: z.string().min(1),
    /** Stages sampled (生产/流通/电商), derived from the source's wording in `stageNote`. */
    stages: z.array(z.enum(STAGES)).default([]),
    stageNote: z.string().nullable().default(null),
    samplingType: z.enum(SAMPLING_TYPES).optional(),
    batches: z.object({
      /** Batches sampled; null when the source gave only parts. */
      sampled: z.number().int().nonnegative().nullable(),
      failed: z.number().int().nonnegative().nullable(),
    }),
    /** A pass rate only when the source states one, in its words. */
    passRateStated: z.string().nullable().default(null),
    /** Implementation rules (实施细则), e.g. "SHSSXZ0247-2025". */
    rules: z.string().nullable().default(null),
    summary: z.string().default(''),
    failedProducts: z.array(failedProductSchema).default([]),
    /** The plan item this announcement answers (`<year>/<itemId>`), once plans link to results. */
    planItem: z.string().optional(),
    source: sourceSchema,
    /**
     * The day this portal first published the record (Beijing time). Set once when the record is added
     * and never recomputed: it dates feed items whose source names no exact day, and is shown as
     * 「本站发布于 …」, never as the source's date.
     */
    firstPublishedAt: isoDate,
    /** Made-up example content, always shown with a 示例 badge. */
    example: z.boolean().default(false),
  })
  .refine((a) => a.batches.sampled === null || a.batches.failed === null || a.batches.failed <= a.batches.sampled, {
    message: '不合格批次数不能大于抽查批次数',
    path: ['batches', 'failed'],
  });

/** 不合格项目解读: what a failed test item means for a consumer. */
export const explanationSchema = z.object({
  /** The test item, e.g. "甲醛含量"; several related items may share one explanation. */
  testItem: z.string().min(1),
  /** Names that failed items are matched against (the test item split into its parts). */
  aliases: z.array(z.string().min(1)).default([]),
  category: z.string().min(1),
  whatItIs: z.string().nullable().default(null),
  whyItMatters: z.string().nullable().default(null),
  likelyCauses: z.string().nullable().default(null),
  consumerAdvice: z.string().nullable().default(null),
  /** Standards cited by the source, e.g. "GB 31701-2015". */
  standards: z.array(z.string()).default([]),
  issuer: z.string().nullable().default(null),
  source: sourceSchema,
  example: z.boolean().default(false),
});

/** 召回: a defective-product recall. */
export const recallSchema = z.object({
  title: z.string().min(1),
  titleComposed: z.boolean().default(false),
  date: publishedDateSchema,
  company: z.string().min(1),
  product: z.string().min(1),
  /**
   * 型号和批次 (models, batches or production dates) as the recall notice lists them; optional, as
   * the sample recalls name their models inside `product`.
   */
  models: z.string().nullable().optional(),
  quantity: z.string().nullable().default(null),
  defect: z.string().nullable().default(null),
  hazard: z.string().nullable().default(null),
  remedy: z.string().nullable().default(null),
  region: z.string().nullable().default(null),
  source: sourceSchema,
  /**
   * The day this portal first published the record (Beijing time). Set once when the record is added
   * and never recomputed: it dates feed items whose source names no exact day, and is shown as
   * 「本站发布于 …」, never as the source's date.
   */
  firstPublishedAt: isoDate,
  example: z.boolean().default(false),
});

export const planItemSchema = z.object({
  /** Stable id within the plan, used by announcements (`planItem`) and nominations. */
  id: z.string().regex(/^[a-z0-9-]+$/, 'id 只能包含小写字母、数字和连字符'),
  seq: z.number().int().positive(),
  category: z.string().min(1),
  quarters: z.array(z.number().int().min(1).max(4)).min(1),
  /** Null when the plan names no method per item (the whole plan's form is in `Plan.form`). */
  method: z.enum(PLAN_METHODS).nullable().default(null),
  stages: z.array(z.enum(STAGES)).default([]),
  plannedBatches: z.number().int().positive().nullable().default(null),
  /** Set when the item came from citizens' nominations. */
  fromNomination: z.string().optional(),
});

/** 抽查计划: one year's sampling plan of one issuer. */
export const planSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  title: z.string().min(1),
  /** The area the plan covers (青浦区), as its title names it: a plan is never just 「今年」's. */
  region: z.string().min(1),
  issuer: z.string().min(1),
  documentNo: z.string().nullable().default(null),
  date: isoDate.nullable().default(null),
  form: z.string().nullable().default(null),
  objects: z.string().nullable().default(null),
  period: z.string().nullable().default(null),
  /** 抽查重点, only when the source states it apart from `objects`. */
  focus: z.string().nullable().default(null),
  note: z.string().nullable().default(null),
  items: z.array(planItemSchema).min(1),
  source: sourceSchema.nullable().default(null),
});

/** A published report of a "你点我检"-style campaign elsewhere: what others did, for reference. */
export const campaignReportSchema = z.object({
  title: z.string().min(1),
  year: z.string().nullable().default(null),
  region: z.string().min(1),
  organizer: z.string().nullable().default(null),
  productScope: z.string().nullable().default(null),
  participation: z.string().nullable().default(null),
  topNominated: z
    .array(z.object({ item: z.string().min(1), votes: z.number().int().nonnegative().nullable() }))
    .default([]),
  followUp: z.string().nullable().default(null),
  source: sourceSchema,
});

export type Announcement = z.output<typeof announcementSchema>;
export type FailedProduct = z.output<typeof failedProductSchema>;
export type FailedItem = z.output<typeof failedItemSchema>;
export type Explanation = z.output<typeof explanationSchema>;
export type Recall = z.output<typeof recallSchema>;
export type Plan = z.output<typeof planSchema>;
export type PlanItem = z.output<typeof planItemSchema>;
export type PublishedDate = z.output<typeof publishedDateSchema>;
export type CampaignReport = z.output<typeof campaignReportSchema>;
export type Stage = (typeof STAGES)[number];
