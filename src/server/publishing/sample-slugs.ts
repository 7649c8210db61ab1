/** The slugs the sample content (`content/`, built into the site) uses, per kind. */
import { getCollection } from 'astro:content';
import type { PublicationKind } from '~/lib/publishing/model';

const cached = new Map<PublicationKind, ReadonlySet<string>>();

export async function sampleContentSlugs(kind: PublicationKind): Promise<ReadonlySet<string>> {
  let slugs = cached.get(kind);
  if (!slugs) {
    slugs = new Set((await getCollection(kind)).map((entry) => entry.id));
    cached.set(kind, slugs);
  }
  return slugs;
}
