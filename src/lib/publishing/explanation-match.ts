/**
 * Which explanation (不合格项目解读) a failed item most likely means, with the reason, so staff
 * confirm a suggestion instead of searching; and the one confident link the importer makes on its own.
 *
 * A suggestion needs the item to name the explanation's test item (or be named by it). A name alone
 * is not enough for a link: generic items ("标识", "结构") mean different tests in different products,
 * so a link also needs a related product category (one sharing a two-character word with it). The
 * weaker kinds (a near spelling, another category) are offered as 「可能」 for staff to judge.
 */
import type { FailedProduct } from '~/lib/content-schemas';
import { itemName } from '~/lib/sampling/normalise';

export interface ExplanationCandidate {
  slug: string;
  aliases: string[];
  category: string;
  /** The explanation's own title of the test item, shown with the suggestion. */
  testItem?: string;
}

export type MatchConfidence = 'strong' | 'possible';

export interface ExplanationSuggestion {
  slug: string;
  testItem: string;
  category: string;
  confidence: MatchConfidence;
  score: number;
  /** Why, in a sentence staff read beside the suggestion. */
  reason: string;
}

/** Lower case, half-width letters and digits, no spaces: "ＰＨ 值" and "pH值" are one name. */
function normalise(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** The item's name: without its bracketed details, unless they are the name ("Cr(Ⅵ)"). */
function nameOf(itemText: string): string {
  const bare = normalise(itemName(itemText));
  return bare.length >= 2 ? bare : normalise(itemText);
}

function bigrams(text: string): Set<string> {
  const chars = [...text.replace(/[^\p{Script=Han}a-zA-Z0-9]/gu, ' ')];
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i] !== ' ' && chars[i + 1] !== ' ') pairs.add(chars[i]! + chars[i + 1]!);
  }
  return pairs;
}

/** How many two-character words ("头盔", "服装") two names share. */
function sharedBigrams(a: string, b: string): number {
  const set = bigrams(a);
  let count = 0;
  for (const pair of bigrams(b)) if (set.has(pair)) count++;
  return count;
}

/** Dice similarity of two names by their two-character words (1 = the same words). */
function similarity(a: string, b: string): number {
  const left = bigrams(a);
  const right = bigrams(b);
  if (left.size === 0 || right.size === 0) return 0;
  return (2 * sharedBigrams(a, b)) / (left.size + right.size);
}

/** Near spellings below this are different tests ("耐磨性能" and "耐寒性能" share one word of three). */
const NEAR_SPELLING = 0.6;
/** A name shared with another product's explanation is offered only when this specific (not 「标志」, 「结构」). */
const SPECIFIC_NAME_LENGTH = 4;

interface NameMatch {
  kind: 'exact' | 'contains' | 'near';
  score: number;
  alias: string;
  reason: string;
}

function bestNameMatch(name: string, shownName: string, aliases: readonly string[]): NameMatch | undefined {
  let best: NameMatch | undefined;
  for (const alias of aliases) {
    const a = normalise(alias);
    if (!a) continue;
    let match: NameMatch | undefined;
    if (a === name) {
      match = { kind: 'exact', score: 100, alias, reason: `与解读的检测项目「${alias}」同名` };
    } else if (name.includes(a)) {
      match = { kind: 'contains', score: 50 + a.length, alias, reason: `「${shownName}」包含检测项目「${alias}」` };
    } else if (a.includes(name)) {
      match = { kind: 'contains', score: 50 + name.length, alias, reason: `检测项目「${alias}」包含「${shownName}」` };
    } else {
      const near = similarity(name, a);
      if (near >= NEAR_SPELLING) {
        match = {
          kind: 'near',
          score: Math.round(40 * near),
          alias,
          reason: `与检测项目「${alias}」写法相近（相同字词 ${Math.round(near * 100)}%）`,
        };
      }
    }
    if (match && (!best || match.score > best.score)) best = match;
  }
  return best;
}

/**
 * Suggestions for one failed item, best first (at most `limit`); an empty list means no good match,
 * and the item is a gap: an explanation still to be written.
 */
export function suggestExplanations(
  itemText: string,
  productCategory: string,
  candidates: readonly ExplanationCandidate[],
  limit = 3,
): ExplanationSuggestion[] {
  const name = nameOf(itemText);
  if (!name) return [];
  const shownName = itemName(itemText) || itemText.trim();
  const suggestions: ExplanationSuggestion[] = [];
  for (const candidate of candidates) {
    const match = bestNameMatch(name, shownName, candidate.aliases);
    if (!match) continue;
    const related = sharedBigrams(candidate.category, productCategory);
    const base = { slug: candidate.slug, testItem: candidate.testItem ?? match.alias, category: candidate.category };
    if (related > 0) {
      suggestions.push({
        ...base,
        confidence: match.kind === 'near' ? 'possible' : 'strong',
        score: match.score + Math.min(related, 5),
        reason: `${match.reason}，适用于「${candidate.category}」`,
      });
    } else if (match.kind !== 'near' && Math.min(normalise(match.alias).length, name.length) >= SPECIFIC_NAME_LENGTH) {
      suggestions.push({
        ...base,
        confidence: 'possible',
        score: match.score - 50,
        reason: `${match.reason}，但这篇解读写的是「${candidate.category}」，请确认是否适用于「${productCategory}」`,
      });
    }
  }
  return suggestions
    .map((suggestion, order) => ({ suggestion, order }))
    .sort((a, b) => b.suggestion.score - a.suggestion.score || a.order - b.order)
    .slice(0, limit)
    .map(({ suggestion }) => suggestion);
}

/** The explanation an importer links on its own: the best suggestion, only when it is strong. */
export function confidentExplanation(
  itemText: string,
  productCategory: string,
  candidates: readonly ExplanationCandidate[],
): string | undefined {
  const [best] = suggestExplanations(itemText, productCategory, candidates, 1);
  return best?.confidence === 'strong' ? best.slug : undefined;
}

/** A failed item's link to an explanation that does not exist: the row and the slug. */
export interface UnknownExplanationLink {
  /** Index of the product in the list. */
  product: number;
  item: string;
  slug: string;
}

/**
 * Links the failed items of a list of products: a link given (by staff or a machine client) is
 * kept when the explanation exists and reported when it does not; an item without one gets the
 * confident suggestion, if any.
 */
export function linkFailedItems(
  products: readonly FailedProduct[],
  productCategory: string,
  candidates: readonly ExplanationCandidate[],
): { products: FailedProduct[]; unknown: UnknownExplanationLink[] } {
  const known = new Set(candidates.map((candidate) => candidate.slug));
  const unknown: UnknownExplanationLink[] = [];
  const linked = products.map((product, index) => ({
    ...product,
    failedItems: product.failedItems.map((item) => {
      if (item.explanation) {
        if (!known.has(item.explanation)) unknown.push({ product: index, item: item.text, slug: item.explanation });
        return item;
      }
      const explanation = confidentExplanation(item.text, productCategory, candidates);
      return explanation ? { ...item, explanation } : item;
    }),
  }));
  return { products: linked, unknown };
}
