/**
 * The search records of the published content: what Pagefind indexes for each announcement,
 * explanation and recall, built from the catalogue rather than from rendered HTML, so that a
 * publication, correction or withdrawal reaches the search index without rebuilding the site.
 *
 * A record carries the words a reader searches for (title, products, brands, manufacturers, failed
 * items, summary, region, year) and the same meta the content pages give Pagefind (`title` from their
 * <h1>, `category` on explanations, which tells apart same-titled explanations), so results look as
 * they did when Pagefind read the pages. Withdrawn items are not searchable.
 */
import type { Announcement, Explanation, PublishedDate, Recall } from '~/lib/content-schemas';
import { listed, type Catalogue, type CatalogueEntry } from '~/lib/publishing/catalogue';
import { formatPublishedDate } from '~/lib/sampling/normalise';
import { recallHeading } from '~/lib/sampling/recall';
import { paths } from '~/paths';

/**
 * The language of every record. The pages say lang="zh-CN", which Pagefind files under `zh-cn`;
 * records under another code would land in a separate index that the search page never loads.
 */
export const SEARCH_LANGUAGE = 'zh-cn';

/** The catalogue's items; its version is the index's business, not the records'. */
export type SearchableCatalogue = Omit<Catalogue, 'version'>;

/** A Pagefind custom record (the shape `addCustomRecord` takes). */
export interface SearchRecord {
  url: string;
  content: string;
  language: string;
  meta: Record<string, string>;
}

/** The <h1> of a page, with the badge that marks made-up content. */
function titleWithBadge(title: string, example: boolean): string {
  return example ? `${title}（示例）` : title;
}

/** `标签：值` sentences for the values that are set, so excerpts read like the page. */
function facts(pairs: [label: string, value: string | null | undefined][]): string[] {
  return pairs
    .filter((pair): pair is [string, string] => Boolean(pair[1]))
    .map(([label, value]) => `${label}：${value}`);
}

function yearWords(date: PublishedDate): string[] {
  return date.year ? [`${date.year}年`] : [];
}

function sentences(parts: (string | null | undefined)[]): string {
  return parts
    .filter((part): part is string => Boolean(part?.trim()))
    .map((part) => part.trim())
    .join('。');
}

export function announcementRecord(slug: string, a: Announcement): SearchRecord {
  const products = a.failedProducts.map((product) =>
    facts([
      ['产品名称', product.productName],
      ['商标', product.brand],
      ['规格型号', product.modelSpec],
      ['标称生产者', product.manufacturer],
      ['被抽样单位', product.sampledUnit],
      ['不合格项目', product.failedItems.map((item) => item.text).join('；')],
    ]).join('，'),
  );
  const title = titleWithBadge(a.title, a.example);
  return {
    url: paths.announcement(slug),
    language: SEARCH_LANGUAGE,
    content: sentences([
      title,
      ...facts([
        ['发布机构', a.issuer],
        ['发布日期', formatPublishedDate(a.date)],
        ['产品类别', a.category],
        ['地区', a.region],
        ['抽查环节', a.stages.join('、') || a.stageNote],
        ['实施细则', a.rules],
      ]),
      ...yearWords(a.date),
      a.summary,
      ...products,
    ]),
    meta: { title, date: formatPublishedDate(a.date) },
  };
}

export function explanationRecord(slug: string, e: Explanation): SearchRecord {
  const title = titleWithBadge(`${e.testItem}不合格是什么意思？`, e.example);
  return {
    url: paths.explanation(slug),
    language: SEARCH_LANGUAGE,
    content: sentences([
      title,
      `不合格项目解读 · ${e.category}`,
      e.aliases.length > 0 ? `又称：${e.aliases.join('、')}` : null,
      e.whatItIs,
      e.whyItMatters,
      e.likelyCauses,
      e.consumerAdvice,
      e.standards.length > 0 ? `相关标准：${e.standards.join('、')}` : null,
      e.issuer,
    ]),
    meta: { title, category: e.category },
  };
}

export function recallRecord(slug: string, r: Recall): SearchRecord {
  const title = titleWithBadge(recallHeading(r), r.example);
  return {
    url: paths.recall(slug),
    language: SEARCH_LANGUAGE,
    content: sentences([
      title,
      r.titleComposed ? null : `原文标题：${r.title}`,
      ...facts([
        ['召回企业', r.company],
        ['召回产品', r.product],
        ['召回数量', r.quantity],
        ['发布日期', formatPublishedDate(r.date)],
        ['地区', r.region],
      ]),
      ...yearWords(r.date),
      r.defect,
      r.hazard,
      r.remedy,
    ]),
    meta: { title, date: formatPublishedDate(r.date) },
  };
}

/** Turns one catalogue entry into its record; a caller may remember records by entry (see below). */
export type RecordOfEntry = (entry: CatalogueEntry, make: () => SearchRecord) => SearchRecord;

/**
 * Every searchable record of the catalogue, one kind after another, lazily: the caller hands them to
 * the indexer in batches and can yield between them, so 10,000 announcements never block the server.
 * Unchanged items keep their entry object from one catalogue to the next, so `recordOf` may reuse the
 * record it made for an entry before.
 */
export function* searchRecords(
  catalogue: SearchableCatalogue,
  recordOf: RecordOfEntry = (_entry, make) => make(),
): Generator<SearchRecord> {
  for (const entry of catalogue.announcements)
    if (listed(entry)) yield recordOf(entry, () => announcementRecord(entry.id, entry.data));
  for (const entry of catalogue.explanations)
    if (listed(entry)) yield recordOf(entry, () => explanationRecord(entry.id, entry.data));
  for (const entry of catalogue.recalls)
    if (listed(entry)) yield recordOf(entry, () => recallRecord(entry.id, entry.data));
}
