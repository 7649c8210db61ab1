/**
 * Reading what a searcher typed, and what the results really contain, so the search page never claims
 * matches it does not have. Pagefind matches on parts of words: for 「公牛插座」 it returns every 插座 page,
 * none with 公牛, and for 「充电宝」 it ranks e-bike recalls of 「宝岛」 second. A shopper reading
 * 「找到 9 条与“公牛插座”相关的结果」 may conclude that 公牛 failed a check. Pure: the search island passes in
 * the query and the results' text.
 */

/** Results read to decide; Pagefind ranks the best first, so a word absent from these is absent from the site's best matches. */
export const RESULTS_CHECKED = 60;

const wordSegmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });
const isHan = (text: string) => /^\p{Script=Han}+$/u.test(text);

/**
 * The words of a query as a reader means them. The browser's segmenter knows common words (公牛 | 插座) but cuts
 * names it does not know into characters (美 | 创 | 威, 充电 | 宝, 罗马 | 仕): runs of single characters are joined
 * back into one word, and a lone character joins the word before it (充电宝, 罗马仕), so that no term of one
 * character is left to match everywhere. A query of a single character stays that character.
 */
export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  for (const phrase of query
    .trim()
    .toLowerCase()
    .split(/[\s\p{P}\p{S}]+/u)) {
    if (!phrase) continue;
    const words: string[] = [];
    let singles = '';
    const flush = () => {
      if (!singles) return;
      if (singles.length === 1 && words.length > 0 && isHan(words[words.length - 1]!))
        words[words.length - 1] += singles;
      else words.push(singles);
      singles = '';
    };
    for (const { segment, isWordLike } of wordSegmenter.segment(phrase)) {
      if (!isWordLike) continue;
      if (isHan(segment) && segment.length === 1) singles += segment;
      else {
        // A lone character before a word joins it only when no word came before: 「新插座」.
        if (singles.length === 1 && words.length === 0 && isHan(segment)) {
          words.push(singles + segment);
          singles = '';
          continue;
        }
        flush();
        words.push(segment);
      }
    }
    flush();
    terms.push(...words);
  }
  return [...new Set(terms)];
}

export interface SearchableResult {
  /** The page's title and indexed text. */
  text: string;
}

export interface HonestResults<T> {
  terms: string[];
  /** Words of the query found in no result: said first, plainly. */
  missing: string[];
  /** Results containing every word. */
  matching: T[];
  /** Results containing some of the words only: shown after, labelled as related. */
  related: T[];
}

/**
 * Sorts results by what they contain: every word, some words, or none (matched on a part of a word only,
 * such as 宝 of 「宝岛」 for 「充电宝」, which is dropped).
 */
export function sortResults<T extends SearchableResult>(query: string, results: readonly T[]): HonestResults<T> {
  const terms = queryTerms(query);
  const matching: T[] = [];
  const related: T[] = [];
  const found = new Set<string>();
  for (const result of results.slice(0, RESULTS_CHECKED)) {
    const text = result.text.toLowerCase();
    const contained = terms.filter((term) => text.includes(term));
    for (const term of contained) found.add(term);
    if (contained.length === 0) continue;
    (contained.length === terms.length ? matching : related).push(result);
  }
  return { terms, missing: terms.filter((term) => !found.has(term)), matching, related };
}

const quoted = (terms: readonly string[]) => terms.map((term) => `“${term}”`).join('');

/** What the status line says, and how the related results are headed. */
export function searchSummary(
  query: string,
  results: Pick<HonestResults<unknown>, 'terms' | 'missing' | 'matching' | 'related'>,
): { status: string; relatedHeading: string | null } {
  const { terms, missing, matching, related } = results;
  if (matching.length === 0 && related.length === 0) {
    return {
      status: `没有找到与“${query}”相关的内容。可以换一个词，或到抽查结果列表按类别筛选。`,
      relatedHeading: null,
    };
  }
  const present = terms.filter((term) => !missing.includes(term));
  if (missing.length > 0) {
    // Every result lacks a missing word, so none is 「matching」: all are related, and said to be.
    return {
      status: `没有找到含${quoted(missing)}的抽查结果、召回或其他内容。下面 ${related.length} 条结果只与${quoted(present)}相关，都不含${quoted(missing)}。`,
      relatedHeading: `与${quoted(present)}相关的结果（不含${quoted(missing)}）`,
    };
  }
  return {
    status:
      related.length > 0
        ? `找到 ${matching.length} 条含${quoted(terms)}的结果，另有 ${related.length} 条只含其中部分词的相关结果。`
        : `找到 ${matching.length} 条含${quoted(terms)}的结果。`,
    relatedHeading: related.length > 0 ? `相关结果（只含${quoted(terms)}中的部分词）` : null,
  };
}
