/**
 * From a question to the passages that answer it, with the judgement of whether any do.
 * Shared by the built-in answerer and the model path, so both ground on the same passages.
 */
import { detectIntent } from './intent';
import type { AssistantIndex, QuestionIntent, ScoredPassage } from './search-index';
import { passageText } from './passages';
import { hanBigrams, namingWords } from './segment';
import type { ChatTurn, Passage } from './types';

/** Words too common in this portal to show that a passage is about what was asked. */
const GENERIC_WORDS = new Set([
  '产品',
  '质量',
  '安全',
  '不合格',
  '合格',
  '抽查',
  '抽检',
  '召回',
  '注意',
  '检测',
  '结果',
  '公告',
  '标准',
  '问题',
  '项目',
  '信息',
  '国家',
  '上海',
  '上海市',
  '公司',
  '企业',
  '最近',
  '近期',
  '今年',
  '去年',
  '哪些',
  '哪里',
  '原因',
  '消费者',
  '消费',
  '使用',
  '危害',
  '影响',
  '处理',
  '办法',
  '含量',
  '解读',
  '儿童',
  '孩子',
  '小孩',
  '宝宝',
  '家里',
  '自己',
  '现在',
  '还能',
  '能用',
  '可以',
  '东西',
  '怎么样',
  '被召回',
  '不合格的',
  '查到',
]);

export interface Retrieval {
  intent: QuestionIntent;
  /** Passages judged to answer the question, best first. */
  hits: ScoredPassage[];
  /** Words of the question found nowhere in the content (or not together with the rest). */
  unknownWords: string[];
  /** Words of the question that the passages found are about ("头盔"). */
  topicWords: string[];
  /** The text that was searched (the question, or the question with the previous one for a follow-up). */
  searchedFor: string;
}

interface WordGroup {
  word: string;
  /** The word, its synonyms, or (for a word jieba glued together) its pieces that do occur. */
  variants: string[];
  frequency: number;
}

/** The words a passage must mention to be about the question, each with its acceptable spellings. */
function wordGroups(
  index: AssistantIndex,
  terms: ReturnType<AssistantIndex['search']>['terms'],
): { groups: WordGroup[]; unknown: string[] } {
  const groups: WordGroup[] = [];
  const unknown: string[] = [];
  const words = terms.filter((t) => t.weight === 1).map((t) => t.term);
  for (const { term, weight } of terms) {
    if (weight !== 1 || GENERIC_WORDS.has(term)) continue;
    // jieba's search mode adds the parts of a long word ("电动", "动车" of "电动车"): the whole word stands for them.
    if (words.some((other) => other !== term && other.includes(term))) continue;
    if (!/^(\p{Script=Han}{2,}|[a-z0-9][a-z0-9\-/.]+)$/u.test(term)) continue;
    const synonyms = terms.filter((t) => t.fromWord === term && t.weight < 1 && t.weight >= 0.5).map((t) => t.term);
    const pieces = index.documentFrequency(term) > 0 ? [] : hanBigrams(term).filter((pair) => !GENERIC_WORDS.has(pair));
    const variants = [term, ...synonyms, ...pieces].filter((v) => index.documentFrequency(v) > 0);
    if (!variants.length) {
      unknown.push(term);
      continue;
    }
    groups.push({ word: term, variants, frequency: Math.max(...variants.map((v) => index.documentFrequency(v))) });
  }
  return { groups, unknown };
}

/**
 * The text in which a passage mentions the question's words. A failed product's row is about its
 * own names and items: the announcement's title names other rows' brands ("涉EUROB、巨马等品牌"),
 * and would make every row of the announcement look like the one asked for.
 */
function mentionText(passage: Passage): string {
  const f = passage.facts;
  if (f.type === 'failed-product')
    return `${passage.names} ${passage.category} ${f.failedItems.join(' ')} ${f.issuer} ${f.date}`.toLowerCase();
  return `${passage.names} ${passage.category} ${passage.page.title} ${passageText(passage)}`.toLowerCase();
}

function judge(index: AssistantIndex, text: string, intent: QuestionIntent, context: ReadonlySet<string>) {
  const result = index.search(text, { intent, limit: 120, context });
  const { groups, unknown } = wordGroups(index, result.terms);
  // Everything specific the question names is absent ("茅台酒抽查结果"): generic words alone find only noise.
  if (groups.length === 0 && unknown.length > 0) return { hits: [], unknownWords: unknown, topicWords: [] };
  const mentioned = result.hits.map((hit) => {
    const haystack = mentionText(hit.passage);
    return groups.filter((group) => group.variants.some((variant) => haystack.includes(variant)));
  });
  // Passages that mention the most of what was asked; when no passage mentions everything,
  // the commonest words (the product rather than an unknown brand) decide which side is kept.
  const most = Math.max(0, ...mentioned.map((m) => m.length));
  const setKey = (set: WordGroup[]) => set.map((g) => g.word).join('|');
  const setWeight = (set: WordGroup[]) => set.reduce((sum, g) => sum + g.frequency, 0);
  let chosen: WordGroup[] = [];
  for (const set of mentioned) if (set.length === most && setWeight(set) > setWeight(chosen)) chosen = set;
  const chosenKey = setKey(chosen);
  const candidates =
    groups.length === 0 ? result.hits : result.hits.filter((_, i) => most > 0 && setKey(mentioned[i]!) === chosenKey);
  const best = candidates[0];
  const missing = groups.filter((g) => !chosen.includes(g)).map((g) => g.word);
  const topicWords = chosen.map((g) => g.word);
  if (!best) return { hits: [], unknownWords: [...unknown, ...missing], topicWords };
  // When the words found nowhere outnumber those found, the question is about something the content does not hold.
  if (unknown.length > 0 && chosen.length <= unknown.length && best.coverage < 0.5)
    return { hits: [], unknownWords: unknown, topicWords };
  const hits = candidates.filter((hit) => hit.score >= best.score * 0.35 && hit.coverage >= 0.2).slice(0, 16);
  return { hits, unknownWords: groups.length ? [...unknown, ...missing] : unknown, topicWords };
}

/**
 * Retrieves for a question, asked on the page at `pageUrl` (whose passages then count for more). A short follow-up ("那召回了吗") is searched together with the
 * previous question when it finds nothing on its own.
 */
export function retrieve(
  index: AssistantIndex,
  question: string,
  history: readonly ChatTurn[] = [],
  pageUrl?: string,
): Retrieval {
  const intent = detectIntent(question);
  const context = pageUrl ? index.pageContext(pageUrl) : new Set<string>();
  const first = judge(index, question, intent, context);
  const previous = [...history].reverse().find((turn) => turn.role === 'user');
  // A question that names nothing ("那召回了吗") is about what the previous question named.
  const namesNothing = first.topicWords.length === 0 && first.unknownWords.length === 0;
  if (!previous || !namesNothing) {
    return {
      intent,
      hits: first.hits,
      unknownWords: typedNames(question, first.unknownWords),
      topicWords: first.topicWords,
      searchedFor: question,
    };
  }
  const combined = `${previous.content.slice(0, 200)} ${question}`;
  const second = judge(index, combined, intent, context);
  return {
    intent,
    hits: second.hits,
    unknownWords: typedNames(combined, second.unknownWords),
    topicWords: second.topicWords,
    searchedFor: combined,
  };
}

/**
 * The unknown words a citizen may be told about: whole words they typed that name something.
 * Every unknown word still weighs in judging whether anything answers; only fragments jieba glued
 * together ("机有") and words no record would hold ("手里", "有害") are kept out of the message.
 */
function typedNames(text: string, unknownWords: readonly string[]): string[] {
  const naming = new Set(namingWords(text));
  return unknownWords.filter((word) => naming.has(word));
}
