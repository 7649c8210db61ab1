/**
 * The explanations a failed item may link to: the sample content's and those staff have published
 * in the store. Their slugs never clash (the publishing service gives store items free slugs).
 */
import { getCollection } from 'astro:content';
import type { ExplanationCandidate } from '~/lib/publishing/explanation-match';
import type { Publication } from '~/lib/publishing/model';
import type { Store } from '~/server/store/store';

export async function explanationCandidates(store: Store): Promise<ExplanationCandidate[]> {
  const sample = (await getCollection('explanations')).map(({ id, data }) => ({
    slug: id,
    testItem: data.testItem,
    aliases: data.aliases,
    category: data.category,
  }));
  const published = (await store.publications.listPublic())
    .filter((publication): publication is Publication<'explanations'> => publication.kind === 'explanations')
    .filter((publication) => !publication.withdrawal && publication.revisions.length > 0)
    .map((publication) => {
      const data = publication.revisions.at(-1)!.data;
      return { slug: publication.slug, testItem: data.testItem, aliases: data.aliases, category: data.category };
    });
  return [...sample, ...published];
}
