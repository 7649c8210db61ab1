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

/** Sortable key: exact days first by date, then year-only records, then undated ones. */
export function dateSortKey(date: PublishedDate): string {
  if (date.iso) return date.iso;
  if (date.year) return `${date.year}-00-00`;
  return '0000-00-00';
}

/** How a date reads on a page: the ISO day when known, otherwise the source's words. */
export function formatPublishedDate(date: PublishedDate): string {
  if (date.iso) {
    const [y, m, d] = date.iso.split('-').map(Number);
    return `${y}年${m}月${d}日`;
  }
  return date.text ?? '日期未注明';
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

export interface ExplanationCandidate {
  slug: string;
  aliases: string[];
  category: string;
}

function bigrams(text: string): Set<string> {
  const chars = [...text.replace(/[^\p{Script=Han}a-zA-Z0-9]/gu, ' ')];
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i] !== ' ' && chars[i + 1] !== ' ') pairs.add(chars[i]! + chars[i + 1]!);
  }
  return pairs;
}

/** How many two-character words ("头盔", "服装") two category names share. */
function sharedBigrams(a: string, b: string): number {
  const set = bigrams(a);
  let count = 0;
  for (const pair of bigrams(b)) if (set.has(pair)) count++;
  return count;
}

/**
 * Finds the explanation of a failed item: one whose alias the item names (or that names the item),
 * written for a related product category (sharing a two-character word of its name),
 * preferring the closest one. No link is better than a link to another product's test.
 */
export function matchExplanation(
  itemText: string,
  productCategory: string,
  candidates: readonly ExplanationCandidate[],
): string | undefined {
  const name = itemName(itemText).toLowerCase();
  if (!name) return undefined;
  let best: { slug: string; score: number } | undefined;
  for (const candidate of candidates) {
    const aliasScore = Math.max(
      0,
      ...candidate.aliases.map((alias) => {
        const a = alias.toLowerCase();
        if (a === name) return 100;
        if (name.includes(a) || a.includes(name)) return 50 + Math.min(a.length, name.length);
        return 0;
      }),
    );
    if (aliasScore === 0) continue;
    // Generic names ("标识", "结构") mean different tests in different products.
    const categoryScore = sharedBigrams(candidate.category, productCategory);
    if (categoryScore === 0) continue;
    const score = aliasScore + categoryScore;
    if (!best || score > best.score) best = { slug: candidate.slug, score };
  }
  return best?.slug;
}

/** Standards cited in a text, e.g. "GB 31701-2015", "GB/T 2912.1-2009", "SHSSXZ0247-2025". */
export function citedStandards(text: string): string[] {
  const found = text.match(/(?:GB(?:\/T)?|QB(?:\/T)?|FZ(?:\/T)?|SHSSXZ)\s?\d+(?:\.\d+)?-\d{4}/g) ?? [];
  return [...new Set(found.map((s) => s.replace(/\s+/g, ' ')))];
}
