/**
 * Turning the wording of published records into structured fields, honestly:
 * a value is filled only when the source states it, and the source's words are always kept beside it.
 */
import type { PublishedDate, Stage } from '~/lib/content-schemas';

/**
 * Reads a free-text date. A day is taken only when the text starts with one
 * ("2024-01-04（据URL）"); a year only when the text starts with it ("2014年第四季度").
 * Text such as "4月23日（产品为2024年5月制造）" names another event's year, so it keeps no year.
 */
export function parsePublishedDate(text: string | null | undefined): PublishedDate {
  const trimmed = text?.trim() || null;
  if (!trimmed) return { text: null };
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(trimmed);
  if (day && !Number.isNaN(Date.parse(`${day[1]}-${day[2]}-${day[3]}`))) {
    return { text: trimmed, iso: `${day[1]}-${day[2]}-${day[3]}`, year: Number(day[1]) };
  }
  const year = /^((?:19|20)\d{2})(?:[-年.]|$)/.exec(trimmed);
  if (year) return { text: trimmed, year: Number(year[1]) };
  return { text: trimmed };
}

/**
 * Sortable key by the best known date: the exact day; else the month or year the source gives
 * ("2020-04（据URL）", "2021年5月抽检", "2018年第四季度"); else the day this portal first published
 * the record, so an undated record is listed with the newest instead of below every dated one.
 */
export function dateSortKey(date: PublishedDate, firstPublishedAt: string): string {
  if (date.iso) return date.iso;
  if (date.year) {
    const month = sourceMonth(date.text ?? '');
    return `${date.year}-${month ? String(month).padStart(2, '0') : '00'}-00`;
  }
  return firstPublishedAt;
}

const QUARTER_FIRST_MONTH: Record<string, number> = { 一: 1, 二: 4, 三: 7, 四: 10, '1': 1, '2': 4, '3': 7, '4': 10 };

/** The month a year-only date text names at its start, or the first month of the quarter it names. */
function sourceMonth(text: string): number | undefined {
  const month = /^\d{4}(?:-|年)(\d{1,2})(?:月|（|$)/.exec(text);
  if (month) return Number(month[1]);
  const quarter = /^\d{4}年第?([一二三四1-4])季度/.exec(text);
  return quarter ? QUARTER_FIRST_MONTH[quarter[1]!] : undefined;
}

/**
 * A year the source names at the start of its title ("2025年上海市儿童游泳圈…"), for records whose
 * date field is empty: the year is the source's, no day is invented.
 */
export function withTitleYear(date: PublishedDate, title: string | null | undefined): PublishedDate {
  if (date.year || !title) return date;
  const year = /^((?:19|20)\d{2})年/.exec(title.trim());
  return year ? { ...date, year: Number(year[1]) } : date;
}

/**
 * How a date reads on a page: the day when known, otherwise the source's words without the
 * bracketed bookkeeping ("2014年2季度（页面2014-06-04）" reads "2014年2季度"; the full wording goes to
 * the source note, see `dateProvenance`).
 */
export function formatPublishedDate(date: PublishedDate): string {
  if (date.iso) return formatIsoDay(date.iso);
  const plain = date.text ? withoutBrackets(date.text) : '';
  return plain || '日期未注明';
}

/** The source's full date wording, for the source note, when the page shows less of it. */
export function dateProvenance(date: PublishedDate): string | null {
  if (!date.text) return null;
  return date.text === (date.iso ?? withoutBrackets(date.text)) ? null : date.text;
}

/** 「本站发布于 2026年11月21日」: the portal's own date, shown where the source names no exact day. */
export function portalPublishedLabel(date: PublishedDate, firstPublishedAt: string): string | null {
  return date.iso ? null : `本站发布于 ${formatIsoDay(firstPublishedAt)}`;
}

/** The date line of an item's page and sharing card: the source's date, then the portal's when the source names no day. */
export function dateAsShown(date: PublishedDate, firstPublishedAt: string): string {
  const portal = portalPublishedLabel(date, firstPublishedAt);
  return formatPublishedDate(date) + (portal ? `（${portal}）` : '');
}

function formatIsoDay(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Drops bracketed notes, full-width or not: "1月15日（财经）" → "1月15日". */
export function withoutBrackets(text: string): string {
  return text
    .replace(/[（(][^（）()]*[）)]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const TRUNCATION_MARK = /\s*[（(]([^（）()]*截断[^（）()]*)[）)]/g;

/**
 * Moves the transcriber's truncation marks ("（原文后续截断）", "（摘录截断）") out of every text of a
 * record into its source note: citizens read plain wording, and the note still says the excerpt is
 * incomplete. `source` itself is left as it is, apart from the note the marks are added to.
 */
export function moveTruncationMarks<T extends { source: { url: string; note: string | null } }>(record: T): T {
  const marks: string[] = [];
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(TRUNCATION_MARK, (_, mark: string) => {
        marks.push(mark);
        return '';
      });
    }
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, clean(inner)]));
    }
    return value;
  };
  const { source, ...rest } = record;
  const cleaned = clean(rest) as Omit<T, 'source'>;
  if (marks.length === 0) return record;
  const note = [source.note, `摘录说明：${[...new Set(marks)].join('；')}`].filter(Boolean).join('；');
  return { ...cleaned, source: { ...source, note } } as T;
}

/** Stages (生产/流通/电商) named in the source's wording about where samples came from. */
export function stagesFromText(text: string | null | undefined): Stage[] {
  if (!text) return [];
  const stages: Stage[] = [];
  if (/生产/.test(text)) stages.push('生产');
  const withoutOnline = text.replace(/(电商|网络|网店|网购)(平台)?销售/g, '');
  if (/流通|实体|商场|超市|经销|门店|市场|销售/.test(withoutOnline)) stages.push('流通');
  if (/电商|网络|网店|网购|网售|天猫|京东|淘宝|平台/.test(text)) stages.push('电商');
  return stages;
}

/**
 * Splits a published list of failed items at its top-level separators (、；;),
 * leaving separators inside brackets alone: "A、B（实测1、2）" gives "A" and "B（实测1、2）".
 */
export function splitFailedItems(text: string | null | undefined): string[] {
  if (!text?.trim()) return [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if ('（(【['.includes(char)) depth++;
    if ('）)】]'.includes(char)) depth = Math.max(0, depth - 1);
    if (depth === 0 && '、；;'.includes(char)) {
      if (current.trim()) parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** The name of a test item without its bracketed details: "pH值（实测8.4）" → "pH值". */
export function itemName(text: string): string {
  return text.replace(/[（(][^）)]*[）)]/g, '').trim();
}

/** Standards cited in a text, e.g. "GB 31701-2015", "GB/T 2912.1-2009", "SHSSXZ0247-2025". */
export function citedStandards(text: string): string[] {
  const found = text.match(/(?:GB(?:\/T)?|QB(?:\/T)?|FZ(?:\/T)?|SHSSXZ)\s?\d+(?:\.\d+)?-\d{4}/g) ?? [];
  return [...new Set(found.map((s) => s.replace(/\s+/g, ' ')))];
}
