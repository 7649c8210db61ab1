/**
 * The staff forms of explanations (不合格项目解读) and recalls (召回): flat fields a person fills in,
 * turned into content of the `content/` shape (and back, to fill the form from a record). The
 * content itself is checked by the publishing workflow against the content schema; its errors come
 * back by content path (`source.url`) and are moved here onto the form field that holds the value.
 */
import type { FieldError } from '~/lib/admin/forms';
import type { Explanation, PublishedDate, Recall } from '~/lib/content-schemas';

export type FormValues = Record<string, string>;

function text(values: FormValues, name: string): string {
  return (values[name] ?? '').trim();
}

function nullable(values: FormValues, name: string): string | null {
  return text(values, name) || null;
}

/** One entry per line (or separated by 、，,；;), blanks dropped, repeats once. */
export function splitList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[\n\r、，,；;]+/)
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  ];
}

/** Standards are cited one per line: "GB 31701-2015" has spaces and may carry a title after a comma. */
function lines(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[\n\r]+/)
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  ];
}

/** The date as the form gives it: a day (`dateIso`, from a date field) and/or the source's wording. */
function publishedDate(values: FormValues): PublishedDate {
  const iso = text(values, 'dateIso');
  const wording = nullable(values, 'dateText');
  if (!iso) return { text: wording };
  return { text: wording ?? iso, iso, year: Number(iso.slice(0, 4)) };
}

function source(values: FormValues): { url: string; note: string | null } {
  return { url: text(values, 'sourceUrl'), note: nullable(values, 'sourceNote') };
}

/** One field of a staff form: how it is shown and what it holds. */
export interface FormField {
  name: string;
  label: string;
  hint?: string;
  input: 'text' | 'textarea' | 'date' | 'url';
  required?: boolean;
}

export const EXPLANATION_FORM: readonly FormField[] = [
  { name: 'testItem', label: '检验项目', input: 'text', required: true, hint: '例如：甲醛含量' },
  {
    name: 'aliases',
    label: '别名（匹配不合格项目用）',
    input: 'textarea',
    hint: '每行一个，也可用顿号分隔；公告中的不合格项目名称与其中之一相同即可关联。检验项目本身会自动加入。',
  },
  { name: 'category', label: '产品类别', input: 'text', required: true, hint: '例如：纺织品' },
  { name: 'whatItIs', label: '检验什么', input: 'textarea' },
  { name: 'whyItMatters', label: '有什么危害', input: 'textarea' },
  { name: 'likelyCauses', label: '不合格的可能原因', input: 'textarea' },
  { name: 'consumerAdvice', label: '消费提示', input: 'textarea' },
  { name: 'standards', label: '依据标准', input: 'textarea', hint: '每行一个，例如：GB 31701-2015' },
  { name: 'issuer', label: '发布单位', input: 'text' },
  { name: 'sourceUrl', label: '来源网址', input: 'url', required: true, hint: '原文所在的网页地址' },
  { name: 'sourceNote', label: '来源说明', input: 'text', hint: '例如：转载、节选' },
];

export const RECALL_FORM: readonly FormField[] = [
  { name: 'title', label: '标题', input: 'text', hint: '不填则按「企业召回产品」自动生成' },
  { name: 'company', label: '召回企业', input: 'text', required: true },
  { name: 'product', label: '召回产品', input: 'text', required: true },
  { name: 'models', label: '型号和批次', input: 'textarea', hint: '涉及的型号、批次或生产日期' },
  { name: 'quantity', label: '召回数量', input: 'text', hint: '例如：1200 台' },
  { name: 'defect', label: '缺陷情况', input: 'textarea' },
  { name: 'hazard', label: '可能造成的危害', input: 'textarea' },
  { name: 'remedy', label: '召回措施', input: 'textarea', hint: '例如：免费更换、退货' },
  { name: 'dateIso', label: '召回日期', input: 'date' },
  { name: 'dateText', label: '日期原文', input: 'text', hint: '原文只写了月份或季度时填在这里，例如：2017年一季度' },
  { name: 'region', label: '地区', input: 'text', hint: '例如：上海市' },
  { name: 'sourceUrl', label: '来源网址', input: 'url', required: true, hint: '召回公告原文的网页地址' },
  { name: 'sourceNote', label: '来源说明', input: 'text' },
];

/** An explanation from its form. The test item is always one of the names failed items match. */
export function explanationFromForm(values: FormValues): Record<string, unknown> {
  const testItem = text(values, 'testItem');
  const aliases = splitList(values.aliases ?? '');
  return {
    testItem,
    aliases: testItem && !aliases.includes(testItem) ? [testItem, ...aliases] : aliases,
    category: text(values, 'category'),
    whatItIs: nullable(values, 'whatItIs'),
    whyItMatters: nullable(values, 'whyItMatters'),
    likelyCauses: nullable(values, 'likelyCauses'),
    consumerAdvice: nullable(values, 'consumerAdvice'),
    standards: lines(values.standards ?? ''),
    issuer: nullable(values, 'issuer'),
    source: source(values),
    example: false,
  };
}

/** A recall from its form; without a title one is composed from company and product. */
export function recallFromForm(values: FormValues): Record<string, unknown> {
  const company = text(values, 'company');
  const product = text(values, 'product');
  const title = text(values, 'title');
  const composed = !title && company !== '' && product !== '';
  return {
    title: composed ? `${company}召回${product}` : title,
    titleComposed: composed,
    date: publishedDate(values),
    company,
    product,
    models: nullable(values, 'models'),
    quantity: nullable(values, 'quantity'),
    defect: nullable(values, 'defect'),
    hazard: nullable(values, 'hazard'),
    remedy: nullable(values, 'remedy'),
    region: nullable(values, 'region'),
    source: source(values),
    example: false,
  };
}

export function explanationToForm(explanation: Explanation): FormValues {
  return {
    testItem: explanation.testItem,
    aliases: explanation.aliases.filter((alias) => alias !== explanation.testItem).join('\n'),
    category: explanation.category,
    whatItIs: explanation.whatItIs ?? '',
    whyItMatters: explanation.whyItMatters ?? '',
    likelyCauses: explanation.likelyCauses ?? '',
    consumerAdvice: explanation.consumerAdvice ?? '',
    standards: explanation.standards.join('\n'),
    issuer: explanation.issuer ?? '',
    sourceUrl: explanation.source.url,
    sourceNote: explanation.source.note ?? '',
  };
}

export function recallToForm(recall: Recall): FormValues {
  return {
    title: recall.titleComposed ? '' : recall.title,
    company: recall.company,
    product: recall.product,
    models: recall.models ?? '',
    quantity: recall.quantity ?? '',
    defect: recall.defect ?? '',
    hazard: recall.hazard ?? '',
    remedy: recall.remedy ?? '',
    dateIso: recall.date.iso ?? '',
    dateText: recall.date.text && recall.date.text !== recall.date.iso ? recall.date.text : '',
    region: recall.region ?? '',
    sourceUrl: recall.source.url,
    sourceNote: recall.source.note ?? '',
  };
}

/** Content paths whose value a form field holds under another name. */
const FIELD_OF_PATH: Record<string, string> = {
  'source.url': 'sourceUrl',
  'source.note': 'sourceNote',
  'date.iso': 'dateIso',
  'date.text': 'dateText',
  'date.year': 'dateIso',
  date: 'dateIso',
};

/** Field-specific Chinese wording where the schema's own message names no field. */
const MESSAGE_OF_FIELD: Record<string, string> = {
  testItem: '请填写检验项目。',
  category: '请填写产品类别。',
  title: '请填写标题，或填写企业和产品以自动生成标题。',
  company: '请填写召回企业。',
  product: '请填写召回产品。',
  sourceUrl: '请填写来源网址（以 http:// 或 https:// 开头的完整地址）。',
};

/** The content's errors on the form's fields, each field once, in the form's order. */
export function formErrors(errors: readonly FieldError[], form: readonly FormField[]): FieldError[] {
  const fields = form.map((field) => field.name);
  const byField = new Map<string, string>();
  for (const error of errors) {
    const path = error.field;
    const field = FIELD_OF_PATH[path] ?? (fields.includes(path) ? path : (path.split('.')[0] ?? path));
    if (!byField.has(field)) byField.set(field, MESSAGE_OF_FIELD[field] ?? error.message);
  }
  const known = fields.filter((field) => byField.has(field)).map((field) => ({ field, message: byField.get(field)! }));
  const other = [...byField].filter(([field]) => !fields.includes(field));
  return [...known, ...other.map(([field, message]) => ({ field, message }))];
}

/** Each kind's form: its fields and the conversions between them and the content. */
export const CONTENT_FORMS = {
  explanations: { fields: EXPLANATION_FORM, fromForm: explanationFromForm, toForm: explanationToForm },
  recalls: { fields: RECALL_FORM, fromForm: recallFromForm, toForm: recallToForm },
} as const;

export type FormKind = keyof typeof CONTENT_FORMS;
