/** What the table itself does not say (flags or FILE.meta.json), checked with zod. */
import { z } from 'zod';

const required = (label: string, flag: string) => {
  const message = `缺少${label}（--${flag}，或 .meta.json 里的 "${flagToKey(flag)}"）`;
  return z.string({ error: message }).trim().min(1, message);
};
const optionalText = z.string().trim().min(1).optional();
const count = (label: string) =>
  z
    .union([z.number().int().nonnegative(), z.string().trim().regex(/^\d+$/).transform(Number)], {
      error: `${label}须为不小于 0 的整数`,
    })
    .optional();

function flagToKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, letter: string) => letter.toUpperCase());
}

/** What the table itself does not say about the announcement. */
export const importMetaSchema = z.object({
  title: required('公告标题', 'title'),
  issuer: required('发布机关', 'issuer'),
  date: required('发布日期', 'date'),
  category: required('产品类别', 'category'),
  region: required('地区', 'region'),
  sourceUrl: z.url({ error: '缺少原文网址或网址无效（--source-url）：每条公告都要链接到正式发布的原文' }),
  stage: optionalText,
  batchesSampled: count('抽查批次数（--batches-sampled）'),
  batchesFailed: count('不合格批次数（--batches-failed）'),
  summary: optionalText,
  sourceNote: optionalText,
});
export type ImportMeta = z.input<typeof importMetaSchema>;

/** The command-line flags, in the order `--help` lists them. */
export const META_FLAGS = [
  'title',
  'issuer',
  'date',
  'category',
  'region',
  'stage',
  'batches-sampled',
  'batches-failed',
  'source-url',
  'source-note',
  'summary',
] as const;
export const metaKeyOfFlag = flagToKey;
