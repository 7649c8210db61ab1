/**
 * The built-in answerer: no model, no configuration. It composes an answer from the best
 * passages, quoting facts as the records write them (product, brand, failed item, recall
 * remedy) and citing the page of each. It never writes a fact that is not in a passage.
 */
import type { Retrieval } from './retrieve';
import type { AssistantIndex, ScoredPassage } from './search-index';
import { sectionLabel } from './passages';
import { SourceList } from './sources';
import {
  BUILTIN_LABEL,
  INJECTION_ANSWER,
  INJECTION_NOTE,
  NOT_FOUND_ANSWER,
  OFF_TOPIC_ANSWER,
  WHERE_TO_ASK,
} from './messages';
import type {
  AnnouncementFacts,
  AnswerOutcome,
  CampaignFacts,
  ExplanationFacts,
  FailedProductFacts,
  Passage,
  PlanFacts,
  PlanItemFacts,
  RecallFacts,
} from './types';
import { EXPLANATION_SECTIONS } from './types';

export interface BuiltinAnswer {
  answer: string;
  sources: { title: string; url: string }[];
  outcome: AnswerOutcome;
  label: string;
  /** Keys of the cited pages, for the evaluation. */
  sourceKeys: string[];
}

const MAX_RECALLS = 3;
const MAX_PRODUCTS = 5;
const MAX_EXPLANATIONS = 2;

type Of<T> = Passage & { facts: T };
const ofType =
  <T extends Passage['facts']['type']>(type: T) =>
  (hit: ScoredPassage): hit is ScoredPassage & { passage: Of<Extract<Passage['facts'], { type: T }>> } =>
    hit.passage.facts.type === type;

const bullet = (label: string, value: string | null | undefined) => (value ? `   - ${label}：${value}` : null);
const lines = (...parts: (string | null | undefined | false)[]) =>
  parts.filter((p): p is string => typeof p === 'string').join('\n');

/** Batch codes listed in full past this many would bury the answer on a phone. */
const BATCH_CODES_SHOWN = 3;
const BATCH_LIST = /(生产批次|批次号?|批号)[:：]?([^；;（）()]+)/g;

/**
 * A recall's product text with each long list of batch codes cut to its first few and
 * 「等 N 个批次」; `cut` says whether any list was cut (the full list is then on the recall page).
 */
export function summariseBatchCodes(product: string): { text: string; cut: boolean } {
  let cut = false;
  const text = product.replace(BATCH_LIST, (whole, label: string, list: string) => {
    const codes = list
      .split('、')
      .map((code) => code.trim())
      .filter(Boolean);
    if (codes.length <= BATCH_CODES_SHOWN) return whole;
    cut = true;
    return `${label}${codes.slice(0, BATCH_CODES_SHOWN).join('、')}等 ${codes.length} 个批次`;
  });
  return { text, cut };
}

function recallItem(n: number, facts: RecallFacts, cite: number, url: string): string {
  const product = summariseBatchCodes(facts.product);
  return lines(
    `${n}. **${facts.company}**召回${product.text}${facts.quantity ? `，数量：${facts.quantity}` : ''}（${facts.date}）[${cite}]`,
    product.cut ? `   - 全部批次见[召回页面](${url})` : null,
    bullet('缺陷', facts.defect),
    bullet('可能的危害', facts.hazard),
    bullet('处理办法', facts.remedy),
  );
}

function productItem(n: number, facts: FailedProductFacts, cite: number, explanationCites: number[]): string {
  const identity = [facts.brand && `商标：${facts.brand}`, facts.modelSpec && `型号：${facts.modelSpec}`]
    .filter(Boolean)
    .join('；');
  return lines(
    `${n}. **${facts.productName}**${identity ? `（${identity}）` : ''} [${cite}]`,
    bullet('标称生产者', facts.manufacturer),
    bullet('被抽样单位', facts.sampledUnit),
    bullet('生产日期/批号', facts.batchOrDate),
    bullet('不合格项目', facts.failedItems.join('；')),
    bullet('出处', `《${facts.announcementTitle}》，${facts.issuer}，${facts.date}`),
    explanationCites.length ? `   - 不合格项目解读见 ${explanationCites.map((c) => `[${c}]`).join('')}` : null,
  );
}

function explanationBlock(
  index: AssistantIndex,
  passage: Passage,
  sources: SourceList,
  only?: readonly string[],
): string {
  const cite = sources.cite(passage.page);
  const sections = index
    .pagePassages(passage.page.key)
    .map((p) => p.facts)
    .filter((f): f is ExplanationFacts => f.type === 'explanation')
    .filter((f) => !only || only.includes(f.section))
    .sort((a, b) => EXPLANATION_SECTIONS.indexOf(a.section) - EXPLANATION_SECTIONS.indexOf(b.section));
  const head = sections[0] ?? (passage.facts as ExplanationFacts);
  return lines(
    `**${head.testItem}**（${head.category}）[${cite}]`,
    ...sections.map((s) => `- ${sectionLabel(s.section)}：${s.content}`),
  );
}

function announcementItem(n: number, facts: AnnouncementFacts, cite: number): string {
  const batches =
    facts.sampled !== null
      ? `抽查${facts.sampled}批次${facts.failed !== null ? `，不合格${facts.failed}批次` : ''}。`
      : facts.failed !== null
        ? `不合格${facts.failed}批次。`
        : '';
  return `${n}. 《${facts.title}》（${facts.issuer}，${facts.date}）：${batches}${facts.summary}${facts.passRateStated && !facts.summary.includes(facts.passRateStated) ? `（${facts.passRateStated}）` : ''} [${cite}]`;
}

function planItem(n: number, facts: PlanItemFacts, cite: number): string {
  return `${n}. ${facts.category}：第${facts.quarters.join('、')}季度，${facts.method}（《${facts.planTitle}》）[${cite}]`;
}

function planBlock(facts: PlanFacts, cite: number): string {
  return lines(
    `《${facts.title}》（${facts.issuer}${facts.documentNo ? `，${facts.documentNo}` : ''}）[${cite}]`,
    facts.focus && `- 重点：${facts.focus}`,
    facts.period && `- 时间：${facts.period}`,
    `- 产品类别：${facts.categories.join('、')}`,
  );
}

function campaignItem(n: number, facts: CampaignFacts, cite: number): string {
  return lines(
    `${n}. **${facts.title}**${facts.region ? `（${facts.region}${facts.organizer ? `，${facts.organizer}` : ''}）` : ''} [${cite}]`,
    bullet('产品范围', facts.productScope),
    bullet('参与情况', facts.participation),
    bullet('得票靠前', facts.topNominated.join('、') || null),
    bullet('后续', facts.followUp),
    bullet('内容', facts.otherText),
  );
}

/** One best passage per page: several rows of one announcement are listed, several sections of one explanation are not. */
function distinctPages<T extends ScoredPassage>(hits: readonly T[]): T[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    if (seen.has(hit.passage.page.key)) return false;
    seen.add(hit.passage.page.key);
    return true;
  });
}

function composeAnswered(index: AssistantIndex, retrieval: Retrieval, sources: SourceList): string {
  const { hits, intent } = retrieval;
  const recalls = hits.filter(ofType('recall')).slice(0, MAX_RECALLS);
  const products = hits.filter(ofType('failed-product')).slice(0, MAX_PRODUCTS);
  const explanations = distinctPages(hits.filter(ofType('explanation'))).slice(0, MAX_EXPLANATIONS);
  const announcements = distinctPages(hits.filter(ofType('announcement'))).slice(0, 3);
  const planItems = hits.filter(ofType('plan-item')).slice(0, 8);
  const plans = distinctPages(hits.filter(ofType('plan'))).slice(0, 1);
  const campaigns = distinctPages(hits.filter(ofType('campaign'))).slice(0, 3);
  const blocks: string[] = [];

  const recallBlock = () => {
    if (!recalls.length) return;
    blocks.push(
      `找到 ${recalls.length} 条相关召回：\n\n${recalls.map((h, i) => recallItem(i + 1, h.passage.facts, sources.cite(h.passage.page), h.passage.page.url)).join('\n')}\n\n请核对自家产品的品牌、型号和生产日期是否在召回范围内；在范围内的，按上面的处理办法联系召回企业。`,
    );
  };
  const productBlock = (heading: string) => {
    if (!products.length) return;
    const items = products.map((h, i) => {
      const cite = sources.cite(h.passage.page);
      const explanationCites = h.passage.facts.explanationKeys.flatMap((key) => {
        const page = index.page(key);
        return page ? [sources.cite(page)] : [];
      });
      return productItem(i + 1, h.passage.facts, cite, explanationCites);
    });
    blocks.push(`${heading}\n\n${items.join('\n')}`);
  };
  const explanationBlocks = (only?: readonly string[]) => {
    for (const hit of explanations) blocks.push(explanationBlock(index, hit.passage, sources, only));
  };
  const announcementBlock = () => {
    if (!announcements.length) return;
    blocks.push(
      `相关抽查结果公告：\n\n${announcements.map((h, i) => announcementItem(i + 1, h.passage.facts, sources.cite(h.passage.page))).join('\n')}`,
    );
  };
  const planBlocks = () => {
    // A question that names a product gets its plan items; one that matches many asks about the plan as a whole.
    if (planItems.length > 0 && planItems.length < 4) {
      blocks.push(
        `抽查计划中的相关安排：\n\n${planItems.map((h, i) => planItem(i + 1, h.passage.facts, sources.cite(h.passage.page))).join('\n')}`,
      );
      return;
    }
    const overview =
      plans[0]?.passage ?? (planItems[0] ? index.pagePassages(planItems[0].passage.page.key)[0] : undefined);
    if (overview?.facts.type === 'plan') blocks.push(planBlock(overview.facts, sources.cite(overview.page)));
  };
  const campaignBlock = () => {
    if (!campaigns.length) return;
    blocks.push(
      `其他地方的“你点我查”类活动：\n\n${campaigns.map((h, i) => campaignItem(i + 1, h.passage.facts, sources.cite(h.passage.page))).join('\n')}`,
    );
  };

  switch (intent) {
    case 'recall':
      if (recalls.length) recallBlock();
      else {
        const topic = retrieval.topicWords.length ? `与“${retrieval.topicWords.join('”“')}”相关的召回` : '相关的召回';
        blocks.push(`本站收录的召回信息中，没有找到${topic}。`);
        productBlock('抽查公告中有以下相关的不合格产品（不合格不等于召回）：');
      }
      break;
    case 'meaning':
      explanationBlocks();
      if (!explanations.length) productBlock('抽查公告中的相关不合格记录：');
      break;
    case 'advice':
      if (explanations.length) {
        blocks.push('选购和使用时可参考本站的不合格项目解读：');
        explanationBlocks(['consumerAdvice', 'whyItMatters']);
      }
      recallBlock();
      productBlock('近期抽查中相关的不合格产品，选购时可以避开：');
      break;
    case 'plan':
      planBlocks();
      announcementBlock();
      break;
    case 'campaign':
      campaignBlock();
      planBlocks();
      break;
    default:
      // Lead with the kind of page that matched best, then the rest.
      for (const type of [...new Set(hits.map((h) => h.passage.facts.type))]) {
        if (type === 'recall') recallBlock();
        if (type === 'failed-product') productBlock(`在抽查公告中找到 ${products.length} 条相关不合格记录：`);
        if (type === 'explanation') explanationBlocks();
        if (type === 'announcement') announcementBlock();
        if (type === 'plan' || type === 'plan-item') planBlocks();
        if (type === 'campaign') campaignBlock();
      }
  }
  return blocks.filter((block, i) => blocks.indexOf(block) === i).join('\n\n');
}

export interface BuiltinInput {
  retrieval: Retrieval;
  /** The question had sentences that tried to change the rules (they were removed). */
  injection?: boolean;
}

/** The built-in answer to a retrieved question. */
export function builtinAnswer(index: AssistantIndex, { retrieval, injection = false }: BuiltinInput): BuiltinAnswer {
  const sources = new SourceList();
  if (!retrieval.hits.length) {
    return { answer: NOT_FOUND_ANSWER, sources: [], outcome: 'not-found', label: BUILTIN_LABEL, sourceKeys: [] };
  }
  const body = composeAnswered(index, retrieval, sources);
  const unknown = retrieval.unknownWords.filter((word) => /\p{Script=Han}{2,}|[a-z0-9]{3,}/u.test(word));
  const preface = unknown.length
    ? `站内内容中没有找到与“${unknown.join('”“')}”相符的记录。以下是与问题中其他词语相关的内容，请注意核对是否为同一产品：\n\n`
    : '';
  const answer = lines(injection ? INJECTION_NOTE : null, `${preface}${body}`, '', WHERE_TO_ASK);
  return {
    answer,
    sources: sources.toSources(),
    outcome: 'answered',
    label: BUILTIN_LABEL,
    sourceKeys: sources.keys(),
  };
}

export function offTopicAnswer(): BuiltinAnswer {
  return { answer: OFF_TOPIC_ANSWER, sources: [], outcome: 'off-topic', label: BUILTIN_LABEL, sourceKeys: [] };
}

export function injectionAnswer(): BuiltinAnswer {
  return { answer: INJECTION_ANSWER, sources: [], outcome: 'declined-injection', label: BUILTIN_LABEL, sourceKeys: [] };
}
