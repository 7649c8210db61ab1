/**
 * What the staff announcement pages read: one announcement of the store, the explanations a failed
 * item may link to (every public one), and the suggested one for each failed item.
 */
import type { Explanation } from '~/lib/content-schemas';
import type { Publication } from '~/lib/publishing/model';
import { listed } from '~/lib/publishing/catalogue';
import { currentCatalogue } from '~/server/content/catalogue';
import { suggestExplanations } from '~/lib/publishing/explanation-match';
import { getStore } from '~/server/store/instance';

export async function announcementById(id: string): Promise<Publication<'announcements'> | null> {
  const publication = await (await getStore()).publications.get(id);
  return publication?.kind === 'announcements' ? (publication as Publication<'announcements'>) : null;
}

export interface ExplanationOption {
  slug: string;
  data: Explanation;
}

/** Every explanation a failed item may link to: the public ones (sample and staff-published), by test item. */
export async function explanationOptions(): Promise<ExplanationOption[]> {
  return (await currentCatalogue()).explanations
    .filter(listed)
    .map((entry) => ({ slug: entry.id, data: entry.data }))
    .sort((a, b) => a.data.testItem.localeCompare(b.data.testItem, 'zh-CN'));
}

export async function knownExplanationSlugs(): Promise<Set<string>> {
  return new Set((await explanationOptions()).map((option) => option.slug));
}

/** The likely explanation of each distinct failed item of a table, with the reason it was suggested. */
export function suggestionsFor(
  items: readonly { text: string }[],
  productCategory: string,
  options: readonly ExplanationOption[],
): Map<string, { slug: string; reason: string } | null> {
  const candidates = options.map((option) => ({
    slug: option.slug,
    aliases: option.data.aliases.length > 0 ? option.data.aliases : [option.data.testItem],
    category: option.data.category,
    testItem: option.data.testItem,
  }));
  return new Map(
    items.map((item) => {
      const [best] = suggestExplanations(item.text, productCategory, candidates, 1);
      return [item.text, best ? { slug: best.slug, reason: best.reason } : null];
    }),
  );
}
