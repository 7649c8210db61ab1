/**
 * Linking an announcement's failed items to explanations (不合格项目解读) from the staff form: the
 * same item text often fails in several rows, so staff decide once per distinct item, and the choice
 * applies to every row that lists it.
 */
import type { FailedProduct } from '~/lib/content-schemas';
import type { FieldError } from '~/lib/admin/forms';

export interface DistinctFailedItem {
  text: string;
  /** The explanation the rows link to now (the first row's, when rows differ). */
  explanation: string | null;
  /** 1-based rows that list this item. */
  rows: number[];
}

export function distinctFailedItems(products: readonly FailedProduct[]): DistinctFailedItem[] {
  const byText = new Map<string, DistinctFailedItem>();
  products.forEach((product, index) => {
    for (const item of product.failedItems) {
      const entry = byText.get(item.text);
      if (entry) {
        entry.rows.push(index + 1);
        entry.explanation ??= item.explanation ?? null;
      } else byText.set(item.text, { text: item.text, explanation: item.explanation ?? null, rows: [index + 1] });
    }
  });
  return [...byText.values()];
}

/** What staff chose for one item: an explanation's slug, or none (the item stays a gap). */
export interface ExplanationChoice {
  text: string;
  explanation: string | null;
}

/** The form sends `itemText-<n>` and `itemExplanation-<n>` for n = 0, 1, …; the field name of item n's select. */
export const explanationField = (index: number) => `itemExplanation-${index}`;
export const itemTextField = (index: number) => `itemText-${index}`;

/** At most this many distinct items in one form (the table's row cap bounds it anyway). */
export const MAX_CHOICES = 2000;

export function choicesFromForm(form: URLSearchParams): ExplanationChoice[] {
  const choices: ExplanationChoice[] = [];
  for (let index = 0; index < MAX_CHOICES && form.has(itemTextField(index)); index++) {
    const explanation = form.get(explanationField(index)) ?? '';
    choices.push({ text: form.get(itemTextField(index)) ?? '', explanation: explanation === '' ? null : explanation });
  }
  return choices;
}

/**
 * The table with the chosen links; refused (by field) when a choice names an explanation that does
 * not exist or an item the table no longer has (someone changed the table since the form was shown).
 */
export function applyExplanationChoices(
  products: readonly FailedProduct[],
  choices: readonly ExplanationChoice[],
  knownExplanations: ReadonlySet<string>,
): { ok: true; products: FailedProduct[] } | { ok: false; errors: FieldError[] } {
  const present = new Set(products.flatMap((product) => product.failedItems.map((item) => item.text)));
  const errors: FieldError[] = [];
  choices.forEach((choice, index) => {
    if (!present.has(choice.text))
      errors.push({
        field: explanationField(index),
        message: `不合格项目「${choice.text}」已不在表格中，请刷新页面。`,
      });
    else if (choice.explanation !== null && !knownExplanations.has(choice.explanation))
      errors.push({ field: explanationField(index), message: `为「${choice.text}」选择的解读不存在，请重新选择。` });
  });
  if (errors.length > 0) return { ok: false, errors };
  const chosen = new Map(choices.map((choice) => [choice.text, choice.explanation]));
  return {
    ok: true,
    products: products.map((product) => ({
      ...product,
      failedItems: product.failedItems.map((item) => {
        if (!chosen.has(item.text)) return item;
        const explanation = chosen.get(item.text);
        return explanation ? { text: item.text, explanation } : { text: item.text };
      }),
    })),
  };
}

/**
 * A new table (uploaded again, or edited in the form) keeps the links staff already chose: an item
 * whose text was linked before stays linked, in whichever row it now is.
 */
export function keepExplanationLinks(
  products: readonly FailedProduct[],
  previous: readonly FailedProduct[],
): FailedProduct[] {
  const linked = new Map<string, string>();
  for (const item of previous.flatMap((product) => product.failedItems))
    if (item.explanation && !linked.has(item.text)) linked.set(item.text, item.explanation);
  return products.map((product) => ({
    ...product,
    failedItems: product.failedItems.map((item) => {
      const explanation = item.explanation ?? linked.get(item.text);
      return explanation ? { text: item.text, explanation } : { text: item.text };
    }),
  }));
}
