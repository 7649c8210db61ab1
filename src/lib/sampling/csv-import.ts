/**
 * Turns the table of failed products that staff keep in their spreadsheets into an announcement
 * file, or into a list of problems with the row each one is on.
 *
 * Pure: tables and strings in, values out. `scripts/import-announcement.ts` does the file I/O and
 * reads the file (.xlsx or .csv) through the same reader as the admin's upload
 * (server/publishing/spreadsheet-file). The table's rows are read by lib/publishing/spreadsheet,
 * as the admin's are; csv-import/meta holds the command line's flags.
 * Nothing is half-imported: any problem means no announcement at all.
 */
import { announcementSchema, publishedDateSchema, type Announcement } from '~/lib/content-schemas';
import { beijingIsoDay } from '~/lib/time/beijing';
import { linkFailedItems, type ExplanationCandidate } from '~/lib/publishing/explanation-match';
import type { ColumnMapping } from '~/lib/publishing/spreadsheet/columns';
import type { ImportProblem } from '~/lib/publishing/spreadsheet/problems';
import { readFailedProducts } from '~/lib/publishing/spreadsheet/rows';
import type { SpreadsheetTable } from '~/lib/publishing/spreadsheet/table';
import { slugify, uniqueSlug } from '~/lib/text/slug';
import { parsePublishedDate, stagesFromText } from './normalise';
import { importMetaSchema } from './csv-import/meta';

export type ImportResult =
  | { ok: true; announcement: Announcement; linkedItems: number; totalItems: number }
  | { ok: false; problems: ImportProblem[] };

function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * Builds the announcement from the table, its metadata and the explanations failed items may link
 * to (only confident links: staff confirm the rest in the admin). Every problem found is reported
 * at once, so staff fix the file in one pass.
 */
export function importAnnouncement(
  table: SpreadsheetTable,
  meta: unknown,
  explanations: readonly ExplanationCandidate[],
  now: Date,
  columnMapping: ColumnMapping = {},
): ImportResult {
  const problems: ImportProblem[] = [];
  const parsedMeta = importMetaSchema.safeParse(meta);
  if (!parsedMeta.success) {
    for (const issue of parsedMeta.error.issues) problems.push({ line: null, message: issue.message });
  }
  const date = parsePublishedDate(parsedMeta.data?.date);
  if (parsedMeta.success) {
    if (!date.year || !publishedDateSchema.safeParse(date).success) {
      problems.push({
        line: null,
        message: `发布日期“${parsedMeta.data.date}”无法识别：请写成 YYYY-MM-DD，例如 2025-03-18`,
      });
    }
  }

  const category = parsedMeta.data?.category ?? '';
  const reading = readFailedProducts(table, { columnMapping });
  if (!reading.ok) problems.push(...reading.problems);
  const rows = reading.ok ? reading.rows : [];

  const m = parsedMeta.data;
  if (m?.batchesFailed !== undefined && rows.length > m.batchesFailed) {
    problems.push({
      line: null,
      message: `表中列出 ${rows.length} 个不合格产品，多于不合格批次数 ${m.batchesFailed}（--batches-failed）`,
    });
  }
  if (!m || problems.length > 0) return { ok: false, problems };

  const parsed = announcementSchema.safeParse({
    title: m.title,
    issuer: m.issuer,
    date,
    category: m.category,
    region: m.region,
    stages: stagesFromText(m.stage),
    stageNote: m.stage ?? null,
    batches: { sampled: m.batchesSampled ?? null, failed: m.batchesFailed ?? null },
    summary: m.summary ?? '',
    failedProducts: linkFailedItems(rows, category, explanations).products,
    source: { url: m.sourceUrl, note: m.sourceNote ?? null },
    firstPublishedAt: beijingIsoDay(now),
  });
  // Rows are already checked: what the schema can still refuse is the facts (failed > sampled).
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        line: null,
        message: `${pathText(issue.path)}：${issue.message}`,
      })),
    };
  }
  const items = parsed.data.failedProducts.flatMap((product) => product.failedItems);
  return {
    ok: true,
    announcement: parsed.data,
    linkedItems: items.filter((item) => item.explanation).length,
    totalItems: items.length,
  };
}

/**
 * The file name (without .json) for an announcement, from its year, region and category.
 * `existing` maps slugs already in the folder to their source URLs: a slug held by another
 * announcement is skipped (…-2, …-3), one held by the same source is returned with
 * `replaces: true` so the caller can refuse to overwrite it.
 */
export function announcementSlug(
  announcement: Pick<Announcement, 'date' | 'region' | 'category' | 'source'>,
  existing: ReadonlyMap<string, string | null>,
): { slug: string; replaces: boolean } {
  const base = slugify(`${announcement.date.year ?? 'nd'} ${announcement.region} ${announcement.category}`, 44);
  const heldByOthers = new Set(
    [...existing].filter(([, url]) => url !== announcement.source.url).map(([slug]) => slug),
  );
  const slug = uniqueSlug(base, heldByOthers);
  return { slug, replaces: existing.has(slug) };
}
