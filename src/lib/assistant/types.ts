/**
 * Shapes shared by the assistant's pure modules, its server half and its island.
 * A passage is the unit of retrieval; a page is the unit the citizen sees as a source.
 */
import type { Announcement, CampaignReport, Explanation, Plan, Recall } from '~/lib/content-schemas';

export type PageKind = 'announcement' | 'explanation' | 'recall' | 'plan' | 'campaign';

/** A published page that passages come from and that answers link to. */
export interface SourcePage {
  /** `<collection>/<id>`, e.g. "recalls/2024-wu-xi-bao-dao-che-ye-ke-ji-you-xian". */
  key: string;
  kind: PageKind;
  title: string;
  url: string;
  /** Made-up example content (示例), so that answers can say so. */
  example: boolean;
}

export interface FailedProductFacts {
  type: 'failed-product';
  productName: string;
  brand: string | null;
  modelSpec: string | null;
  batchOrDate: string | null;
  manufacturer: string | null;
  sampledUnit: string | null;
  failedItems: string[];
  /** Keys of the explanation pages the failed items link to. */
  explanationKeys: string[];
  announcementTitle: string;
  issuer: string;
  date: string;
  category: string;
}

export interface AnnouncementFacts {
  type: 'announcement';
  title: string;
  issuer: string;
  date: string;
  category: string;
  region: string;
  sampled: number | null;
  failed: number | null;
  passRateStated: string | null;
  summary: string;
}

export const EXPLANATION_SECTIONS = [
  'whatItIs',
  'whyItMatters',
  'likelyCauses',
  'consumerAdvice',
  'standards',
] as const;
export type ExplanationSection = (typeof EXPLANATION_SECTIONS)[number];

export interface ExplanationFacts {
  type: 'explanation';
  testItem: string;
  category: string;
  section: ExplanationSection;
  content: string;
}

export interface RecallFacts {
  type: 'recall';
  title: string;
  company: string;
  product: string;
  quantity: string | null;
  defect: string | null;
  hazard: string | null;
  remedy: string | null;
  date: string;
  region: string | null;
}

export interface PlanItemFacts {
  type: 'plan-item';
  planTitle: string;
  issuer: string;
  year: number;
  category: string;
  quarters: number[];
  method: string;
}

export interface PlanFacts {
  type: 'plan';
  title: string;
  issuer: string;
  documentNo: string | null;
  period: string | null;
  focus: string | null;
  objects: string | null;
  categories: string[];
}

export interface CampaignFacts {
  type: 'campaign';
  title: string;
  region: string | null;
  organizer: string | null;
  productScope: string | null;
  participation: string | null;
  topNominated: string[];
  followUp: string | null;
  /** Text of campaign pages whose schema this module does not know. */
  otherText: string | null;
}

export type PassageFacts =
  FailedProductFacts | AnnouncementFacts | ExplanationFacts | RecallFacts | PlanItemFacts | PlanFacts | CampaignFacts;

export interface Passage {
  /** Unique within a corpus: `<page key>#<n>`. */
  id: string;
  page: SourcePage;
  facts: PassageFacts;
  /** Product, brand, model, manufacturer, company: the names a citizen looks things up by. */
  names: string;
  /** Product category or test item. */
  category: string;
  /** Everything else worth matching, and the text a model is shown. */
  body: string;
}

/** Content entries as both `astro:content` and the file loader give them. */
export interface ContentEntry<T> {
  id: string;
  data: T;
}

export interface AssistantContent {
  announcements: ContentEntry<Announcement>[];
  explanations: ContentEntry<Explanation>[];
  recalls: ContentEntry<Recall>[];
  plans: ContentEntry<Plan>[];
  campaignReports: ContentEntry<CampaignReport>[];
  /** Campaign pages from `content/campaigns/`, whose schema may not exist yet: read loosely. */
  campaigns?: ContentEntry<Record<string, unknown>>[];
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export type AnswerMode = 'builtin' | 'model';

/** What kind of answer was given, for the log and the evaluation. */
export type AnswerOutcome = 'answered' | 'not-found' | 'off-topic' | 'declined-injection';

export interface AssistantAnswer {
  /** Markdown, already filtered: every link and citation points at a listed source. */
  answer: string;
  sources: { title: string; url: string }[];
  mode: AnswerMode;
  outcome: AnswerOutcome;
  /** "内容由人工智能生成，仅供参考" for model answers; where the text comes from for built-in ones. */
  label: string;
  /** Why the answer came from the built-in answerer although a model is configured. */
  notice?: string;
}
