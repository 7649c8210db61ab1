/**
 * The retrieval index: BM25 over weighted fields, kept in plain arrays so that a question over
 * tens of thousands of passages is answered in milliseconds, then re-ranked by what the question
 * names exactly (a brand, a model number, a manufacturer), by what it asks for (a recall, a
 * meaning, advice) and by the page it is asked on.
 *
 * Why not minisearch: it was tried (December 2026) with the same terms, field weights and
 * re-ranking. The evaluation's quality figures were the same (hit@1 71/71, facts 53/53, refusals
 * 16/16), but on the same machine in the same process, over 3,900 passages, building took 2–4 times
 * as long and a question's retrieval p50 went from about 2 ms to 15–22 ms (p95 from ~50 ms to
 * 140–210 ms): minisearch scores every field of every matching document through maps, where this
 * index adds weighted term frequencies into one typed array. Its fuzzy and prefix search, the
 * reasons to take it, do not help Chinese bigrams. So the dependency was removed.
 */
import { indexTerms, queryTerms, type QueryTerm } from './segment';
import type { Passage, PassageFacts, SourcePage } from './types';

/** How much a match in each field counts: names are what citizens look products up by. */
const FIELD_WEIGHTS = { names: 3, category: 2, title: 1.5, body: 1 } as const;
const K1 = 1.2;
const B = 0.5;

export type QuestionIntent = 'recall' | 'meaning' | 'advice' | 'result' | 'plan' | 'campaign' | 'general';

/** Passage types that answer each kind of question best. */
const INTENT_BOOSTS: Record<QuestionIntent, Partial<Record<PassageFacts['type'], number>>> = {
  recall: { recall: 2.2 },
  meaning: { explanation: 2 },
  advice: { explanation: 1.6, recall: 1.1 },
  result: { 'failed-product': 1.4, announcement: 1.3 },
  plan: { plan: 2, 'plan-item': 2 },
  campaign: { campaign: 2 },
  general: {},
};

/**
 * How much the page the question is asked on (and the explanations it links to) counts: the panel
 * on the children's-helmet results answers about children's helmets, not motorcycle helmets, when
 * both match the words. What the question names still decides: passages that do not mention it are
 * dropped whatever their boost.
 */
const PAGE_CONTEXT_BOOST = 3;

export interface ScoredPassage {
  passage: Passage;
  score: number;
  /** Share of the question's own words (by weight) that this passage contains. */
  coverage: number;
}

export interface SearchResult {
  hits: ScoredPassage[];
  /** Words of the question that appear nowhere in the content (an unknown brand, a typo). */
  unknownWords: string[];
  terms: QueryTerm[];
}

interface Posting {
  docs: number[];
  tfs: number[];
}

/** Brand and company names as printed carry decoration that questions leave out. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[“”"'‘’《》「」\s]/g, '')
    .replace(/(牌|品牌|商标)$/, '')
    .toLowerCase();
}

const COMPANY_SUFFIX = /(股份)?(有限)?(责任)?(公司|集团|工厂|厂|商行|经营部|店)$/;

/** The names a passage can be asked for by, each at least two characters long. */
function entityNames(facts: PassageFacts): string[] {
  const names: (string | null)[] = [];
  switch (facts.type) {
    case 'failed-product':
      names.push(facts.brand, facts.modelSpec, facts.manufacturer, facts.productName, facts.sampledUnit);
      break;
    case 'recall':
      names.push(facts.company);
      for (const match of facts.product.matchAll(/([\p{Script=Han}A-Za-z&]{2,8})牌|品牌[:：]\s*([^；;，,）)]+)/gu)) {
        names.push(match[1] ?? match[2] ?? null);
      }
      for (const match of facts.product.matchAll(/[A-Za-z0-9][A-Za-z0-9\-/.]{2,}/g)) names.push(match[0]);
      for (const match of facts.title.matchAll(/召回(.+)$/g)) names.push(match[1] ?? null);
      break;
    case 'explanation':
      names.push(facts.testItem, ...facts.testItem.split(/[；;、]/));
      break;
    case 'plan-item':
      names.push(facts.category);
      break;
    default:
      break;
  }
  const result = new Set<string>();
  for (const name of names) {
    if (!name) continue;
    const normalised = normaliseName(name);
    if ([...normalised].length >= 2 && !/^[图形商标无\-—/]+$/.test(normalised)) result.add(normalised);
    const short = normalised.replace(COMPANY_SUFFIX, '').replace(/^(\p{Script=Han}{2,3}?(省|市|区|县))+/u, '');
    if (short !== normalised && [...short].length >= 2) result.add(short); // A brand printed in two scripts ("JUMA巨马") is asked for by either half ("巨马牌", "JUMA").
    if (/[a-z]/.test(normalised) && /\p{Script=Han}/u.test(normalised)) {
      for (const half of normalised.match(/[a-z][a-z0-9&]+|\p{Script=Han}{2,}/gu) ?? []) result.add(half);
    }
  }
  return [...result];
}

export class AssistantIndex {
  readonly passages: readonly Passage[];
  private readonly postings = new Map<string, Posting>();
  private readonly lengths: Float64Array;
  private readonly averageLength: number;
  private readonly pages = new Map<string, { page: SourcePage; passages: Passage[] }>();
  private readonly entities: string[][];
  private readonly pageKeysByUrl = new Map<string, string>();

  constructor(passages: readonly Passage[]) {
    this.passages = passages;
    this.lengths = new Float64Array(passages.length);
    this.entities = passages.map((passage) => entityNames(passage.facts));
    let total = 0;
    passages.forEach((passage, doc) => {
      const frequencies = new Map<string, number>();
      let length = 0;
      const fields: [keyof typeof FIELD_WEIGHTS, string][] = [
        ['names', passage.names],
        ['category', passage.category],
        ['title', passage.page.title],
        ['body', passage.body],
      ];
      for (const [field, text] of fields) {
        const weight = FIELD_WEIGHTS[field];
        for (const term of indexTerms(text)) {
          frequencies.set(term, (frequencies.get(term) ?? 0) + weight);
          length += weight;
        }
      }
      for (const [term, frequency] of frequencies) {
        let posting = this.postings.get(term);
        if (!posting) {
          posting = { docs: [], tfs: [] };
          this.postings.set(term, posting);
        }
        posting.docs.push(doc);
        posting.tfs.push(frequency);
      }
      this.lengths[doc] = length;
      total += length;
      const entry = this.pages.get(passage.page.key) ?? { page: passage.page, passages: [] };
      entry.passages.push(passage);
      this.pages.set(passage.page.key, entry);
      this.pageKeysByUrl.set(passage.page.url, passage.page.key);
    });
    this.averageLength = passages.length ? total / passages.length : 1;
  }

  get size(): number {
    return this.passages.length;
  }

  documentFrequency(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  page(key: string): SourcePage | undefined {
    return this.pages.get(key)?.page;
  }

  /** All passages of a page, in page order (the sections of an explanation, the rows of an announcement). */
  pagePassages(key: string): readonly Passage[] {
    return this.pages.get(key)?.passages ?? [];
  }

  /**
   * The pages a question asked on `url` is most likely about: that page and the explanations its
   * failed products link to. Empty for a URL that is not a content page (the /assistant/ page itself).
   */
  pageContext(url: string): ReadonlySet<string> {
    const key = this.pageKeysByUrl.get(url);
    if (!key) return new Set();
    const linked = this.pagePassages(key).flatMap((p) =>
      p.facts.type === 'failed-product' ? p.facts.explanationKeys : [],
    );
    return new Set([key, ...linked]);
  }

  search(
    question: string,
    options: { intent?: QuestionIntent; limit?: number; context?: ReadonlySet<string> } = {},
  ): SearchResult {
    const { intent = 'general', limit = 12, context } = options;
    const terms = queryTerms(question);
    const count = this.passages.length;
    const scores = new Float64Array(count);
    const matchedWeight = new Float64Array(count);
    const touched: number[] = [];
    const unknownWords: string[] = [];
    let wordWeight = 0;
    for (const { term, weight, fromWord } of terms) {
      // Single characters say little ("不", "车"); they may help but never carry a match.
      const effective = [...term].length === 1 && /\p{Script=Han}/u.test(term) ? weight * 0.3 : weight;
      const isWord = weight === 1;
      if (isWord) wordWeight += effective;
      const posting = this.postings.get(term);
      if (!posting) {
        if (
          isWord &&
          [...term].length >= 2 &&
          !terms.some((t) => t.fromWord === fromWord && t.weight < 1 && this.postings.has(t.term))
        ) {
          unknownWords.push(term);
        }
        continue;
      }
      const df = posting.docs.length;
      const idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
      for (let i = 0; i < posting.docs.length; i++) {
        const doc = posting.docs[i]!;
        const tf = posting.tfs[i]!;
        const norm = tf + K1 * (1 - B + (B * this.lengths[doc]!) / this.averageLength);
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += effective * idf * ((tf * (K1 + 1)) / norm);
        if (isWord) matchedWeight[doc]! += effective;
      }
    }
    // Keep the best few hundred by text score, then re-rank those by exact names and intent.
    touched.sort((a, b) => scores[b]! - scores[a]!);
    const candidates = touched.slice(0, 300);
    const normalisedQuestion = normaliseName(question);
    const boosts = INTENT_BOOSTS[intent];
    const hits: ScoredPassage[] = candidates.map((doc) => {
      const passage = this.passages[doc]!;
      let score = scores[doc]!;
      let exact = 0;
      for (const name of this.entities[doc]!) {
        if (normalisedQuestion.includes(name)) exact = Math.max(exact, Math.min([...name].length, 8));
      }
      score *= 1 + exact * 0.25;
      score *= boosts[passage.facts.type] ?? 1;
      if (context?.has(passage.page.key)) score *= PAGE_CONTEXT_BOOST;
      const coverage = wordWeight > 0 ? Math.min(1, matchedWeight[doc]! / wordWeight) : 0;
      return { passage, score: score * (0.5 + coverage), coverage };
    });
    hits.sort((a, b) => b.score - a.score || a.passage.id.localeCompare(b.passage.id));
    return { hits: hits.slice(0, limit), unknownWords, terms };
  }
}
