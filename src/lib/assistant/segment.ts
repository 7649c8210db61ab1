/**
 * Chinese segmentation for retrieval. jieba finds the words; character bigrams of every Han run
 * are added beside them, because jieba may cut a name differently in a 30-character company name
 * than in a 3-character question ("久峰" inside "宁波北仑久峰体育用品有限公司").
 */
import { add_word, cut, cut_for_search, tag } from 'jieba-wasm';

/** Words of this domain that jieba's general dictionary splits or does not know. */
const DOMAIN_WORDS = [
  '电动自行车',
  '电动车',
  '充电器',
  '移动电源',
  '充电宝',
  '甲醛含量',
  '色牢度',
  '不合格',
  '抽查',
  '抽检',
  '召回',
  '头盔',
  '安全帽',
  '童装',
  '纤维含量',
  '可迁移元素',
  '邻苯二甲酸酯',
  '燃气灶',
  '电热水壶',
  '平衡车',
  '滑板车',
  '纸尿裤',
  '插头插座',
  '电线电缆',
  '书包',
  '学生用品',
  '婴幼儿',
  '阻燃',
  '绳带',
  '你点我查',
  '你点我检',
];
for (const word of DOMAIN_WORDS) add_word(word, 200_000);

/** Words that say nothing about what is asked. */
const STOPWORDS = new Set([
  '的',
  '了',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '是',
  '有',
  '在',
  '和',
  '与',
  '及',
  '或',
  '被',
  '把',
  '给',
  '让',
  '对',
  '从',
  '我',
  '我们',
  '我家',
  '你',
  '您',
  '他',
  '她',
  '它',
  '这',
  '那',
  '这个',
  '那个',
  '哪个',
  '哪些',
  '什么',
  '怎么',
  '怎样',
  '怎么办',
  '如何',
  '为什么',
  '为何',
  '意思',
  '是否',
  '有没有',
  '是不是',
  '能不能',
  '可以',
  '可能',
  '请问',
  '一下',
  '一个',
  '一些',
  '情况',
  '问题',
  '告诉',
  '知道',
  '想',
  '要',
  '会',
  '吗？',
  '多少',
  '么',
  '都',
  '也',
  '还',
  '就',
  '又',
  '时候',
  '什么时候',
  '哪年',
  '哪里',
  '多久',
  '过',
  '着',
  '地',
  '得',
  '很',
  '最',
  '更',
  '该',
  '应该',
  '需要',
  '关于',
  '相关',
  '家里',
  '家',
  '买',
  '购买',
  '里',
  'the',
  'a',
  'an',
  'of',
  'is',
  'are',
  'was',
  'to',
  'in',
  'on',
  'for',
  'and',
  'or',
  'what',
  'does',
  'do',
  'my',
]);

/** Spellings a citizen uses for what the records call otherwise. */
const SYNONYMS: Record<string, string[]> = {
  电动车: ['电动自行车'],
  电瓶车: ['电动自行车', '电动车'],
  孩子: ['儿童'],
  小孩: ['儿童'],
  宝宝: ['婴幼儿', '儿童'],
  婴儿: ['婴幼儿'],
  充电宝: ['移动电源'],
  童装: ['儿童服装'],
  衣服: ['服装'],
  被子: ['被芯', '床上用品'],
  插座: ['插头插座', '转换器'],
  安全帽: ['头盔'],
  甲醛: ['甲醛含量'],
  超标: ['不合格'],
  抽检: ['抽查'],
  质检: ['抽查'],
  检查: ['抽查'],
  厂家: ['生产者', '公司'],
  厂商: ['生产者', '公司'],
  牌子: ['品牌'],
  处理: ['处理办法'],
};

const HAN_RUN = /\p{Script=Han}+/gu;
const WORD_CHAR = /[\p{Script=Han}\p{L}\p{N}]/u;

/**
 * People write a brand with 牌 after it ("巨马牌") while the records print it without: the name
 * is the word. Two-character words ending in 牌 ("品牌", "名牌") are words of their own.
 */
function withoutBrandMark(word: string): string {
  return [...word].length >= 3 && word.endsWith('牌') && !word.endsWith('品牌') ? word.slice(0, -1) : word;
}

/** jieba words, lower-cased, without punctuation and stopwords. */
export function segmentWords(text: string): string[] {
  const words: string[] = [];
  for (const raw of cut_for_search(text.normalize('NFKC'), true)) {
    const word = withoutBrandMark(raw.trim().toLowerCase());
    if (!word || !WORD_CHAR.test(word) || STOPWORDS.has(word)) continue;
    words.push(word);
  }
  return words;
}

/**
 * Part-of-speech tags of words that can name what a citizen asks about: nouns of every kind
 * (n, nr, ns, nt, nz, …), verbal nouns, Latin words and model numbers, and words jieba's HMM
 * glued together from characters it does not know (x: often a brand, "久峰", "倍思").
 * Place words ("手里"), adjectives ("有害"), verbs and pronouns never name a product.
 */
const NAMING_TAG = /^(n|vn|eng|x)/;

/**
 * The whole words of a question that name something (a product, a brand, a model), as the citizen
 * typed them: only these may be reported as "not found". A word the HMM glued across a function
 * word ("机有" of "晾衣机有什么") is not one the citizen typed, and is left out.
 */
export function namingWords(question: string): string[] {
  const words: string[] = [];
  for (const { word: raw, tag: partOfSpeech } of tag(question.normalize('NFKC'), true)) {
    const word = withoutBrandMark(raw.trim().toLowerCase());
    if ([...word].length < 2 || STOPWORDS.has(word) || !NAMING_TAG.test(partOfSpeech)) continue;
    if (partOfSpeech === 'x' && /\p{Script=Han}/u.test(word) && cut(raw, false).some((piece) => STOPWORDS.has(piece)))
      continue;
    words.push(word);
  }
  return words;
}

/** Overlapping two-character pieces of every run of Chinese characters. */
export function hanBigrams(text: string): string[] {
  const pairs: string[] = [];
  for (const run of text.match(HAN_RUN) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) pairs.push(chars[i]! + chars[i + 1]!);
  }
  return pairs;
}

/** Terms of a stored text: its words and its bigrams. */
export function indexTerms(text: string): string[] {
  if (!text) return [];
  return [...segmentWords(text), ...hanBigrams(text)];
}

export interface QueryTerm {
  term: string;
  /** Words count more than bigrams and synonyms: they are what the citizen typed. */
  weight: number;
  /** The word the citizen wrote, for telling them what was not found. */
  fromWord: string;
}

/** Terms of a question: its words (with synonyms) weighted over its bigrams, each term once. */
export function queryTerms(question: string): QueryTerm[] {
  const terms = new Map<string, QueryTerm>();
  const add = (term: string, weight: number, fromWord: string) => {
    const existing = terms.get(term);
    if (!existing || existing.weight < weight) terms.set(term, { term, weight, fromWord });
  };
  for (const word of segmentWords(question)) {
    add(word, 1, word);
    for (const synonym of SYNONYMS[word] ?? []) {
      add(synonym, 0.8, word);
      for (const part of segmentWords(synonym)) add(part, 0.5, word);
    }
  }
  const withoutStopwords = [...STOPWORDS]
    .filter((w) => /\p{Script=Han}/u.test(w) && w.length > 1)
    .reduce((text, stopword) => text.split(stopword).join(' '), question.normalize('NFKC'));
  for (const pair of hanBigrams(withoutStopwords)) {
    if (STOPWORDS.has(pair[0]!) && STOPWORDS.has(pair[1]!)) continue;
    add(pair, 0.4, pair);
  }
  return [...terms.values()];
}
