/**
 * What a correction (更正) changes, in words a reader understands: 「抽查批次 12 → 13」. Numbers and
 * failed-product rows are never changed silently: the list is shown to the reviewer before approval
 * and becomes part of the public 更正说明.
 */
import type { Announcement, FailedProduct, PublishedDate, Recall } from '~/lib/content-schemas';
import type { ContentOfKind, PublicationKind } from './model';

const NOT_STATED = '未注明';

function shown(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? NOT_STATED : String(value);
}

function dateText(date: PublishedDate): string {
  return date.iso ?? date.text ?? (date.year === undefined ? NOT_STATED : `${date.year}年`);
}

function change(label: string, before: string, after: string): string[] {
  return before === after ? [] : [`${label} ${before} → ${after}`];
}

const PRODUCT_FIELD_LABELS = {
  productName: '产品名称',
  brand: '商标',
  modelSpec: '规格型号',
  batchOrDate: '生产日期/批号',
  manufacturer: '标称生产者',
  sampledUnit: '被抽样单位',
  inspectionBody: '承检机构',
} as const satisfies Partial<Record<keyof FailedProduct, string>>;

function productLabel(product: FailedProduct): string {
  return product.brand ? `${product.productName}（${product.brand}）` : product.productName;
}

/** The same row before and after: same product, brand, model and batch. */
function productIdentity(product: FailedProduct): string {
  return JSON.stringify([product.productName, product.brand, product.modelSpec, product.batchOrDate]);
}

function failedItemsText(product: FailedProduct): string {
  return product.failedItems.map((item) => item.text).join('；') || NOT_STATED;
}

function rowChanges(before: FailedProduct, after: FailedProduct): string[] {
  const changes: string[] = [];
  for (const [field, label] of Object.entries(PRODUCT_FIELD_LABELS) as [keyof typeof PRODUCT_FIELD_LABELS, string][]) {
    changes.push(...change(label, shown(before[field]), shown(after[field])));
  }
  changes.push(...change('不合格项目', failedItemsText(before), failedItemsText(after)));
  const explanationsBefore = before.failedItems.map((item) => item.explanation ?? '').join('|');
  const explanationsAfter = after.failedItems.map((item) => item.explanation ?? '').join('|');
  if (changes.length === 0 && explanationsBefore !== explanationsAfter) changes.push('关联的项目解读');
  return changes.length === 0 ? [] : [`不合格产品「${productLabel(before)}」：${changes.join('，')}`];
}

/**
 * Rows matched by identity first; rows left over on both sides are paired in order (a corrected
 * brand or batch is a changed row, not one removed and one added), the rest are added or removed.
 */
function failedProductChanges(before: readonly FailedProduct[], after: readonly FailedProduct[]): string[] {
  const changes: string[] = [];
  const unmatchedAfter = [...after];
  const unmatchedBefore: FailedProduct[] = [];
  for (const row of before) {
    const index = unmatchedAfter.findIndex((candidate) => productIdentity(candidate) === productIdentity(row));
    if (index < 0) {
      unmatchedBefore.push(row);
      continue;
    }
    changes.push(...rowChanges(row, unmatchedAfter[index]!));
    unmatchedAfter.splice(index, 1);
  }
  const paired = Math.min(unmatchedBefore.length, unmatchedAfter.length);
  for (let i = 0; i < paired; i++) changes.push(...rowChanges(unmatchedBefore[i]!, unmatchedAfter[i]!));
  for (const row of unmatchedBefore.slice(paired)) changes.push(`删除不合格产品「${productLabel(row)}」`);
  for (const row of unmatchedAfter.slice(paired)) changes.push(`新增不合格产品「${productLabel(row)}」`);
  return changes;
}

function announcementChanges(before: Announcement, after: Announcement): string[] {
  return [
    ...change('发布日期', dateText(before.date), dateText(after.date)),
    ...change('抽查批次', shown(before.batches.sampled), shown(after.batches.sampled)),
    ...change('不合格批次', shown(before.batches.failed), shown(after.batches.failed)),
    ...change('合格率', shown(before.passRateStated), shown(after.passRateStated)),
    ...failedProductChanges(before.failedProducts, after.failedProducts),
  ];
}

function recallChanges(before: Recall, after: Recall): string[] {
  return [
    ...change('召回日期', dateText(before.date), dateText(after.date)),
    ...change('召回数量', shown(before.quantity), shown(after.quantity)),
  ];
}

/**
 * The listed changes of a correction: dates, numbers (batches sampled and failed, stated pass rate,
 * recalled quantity) and failed-product rows. Other wording is covered by the staff's own note.
 */
export function correctionChanges<K extends PublicationKind>(
  kind: K,
  before: ContentOfKind[K],
  after: ContentOfKind[K],
): string[] {
  if (kind === 'announcements') return announcementChanges(before as Announcement, after as Announcement);
  if (kind === 'recalls') return recallChanges(before as Recall, after as Recall);
  return [];
}

/** At most this many listed changes are spelled out in the public note; the rest are counted. */
export const LISTED_CHANGES_MAX = 20;

/** The public 更正说明: the staff's note, then the listed changes. */
export function composeCorrectionNote(note: string, changes: readonly string[]): string {
  if (changes.length === 0) return note;
  const listed = changes.slice(0, LISTED_CHANGES_MAX).join('；');
  const more = changes.length > LISTED_CHANGES_MAX ? `等 ${changes.length} 处` : '';
  return `${note}（更正内容：${listed}${more}）`;
}

/** Whether two contents are the same, whatever the key order a store gave them back in. */
export function sameContent(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonical(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
