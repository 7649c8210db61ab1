/**
 * Publishing through the store's `publications` port, as the staff workflow does, for tests of what
 * the public site shows: an announcement made from a real sample file under a new slug and title,
 * then published, corrected and withdrawn. Each step is one durable save that names the version it saw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { announcementSchema, type Announcement } from '../../src/lib/content-schemas';
import type { Publication } from '../../src/lib/publishing/model';
import type { Publications } from '../../src/server/store/store';
import { projectRoot } from './server';

/** A sample announcement, dated today, of 上海市 (so the default statistics scope counts it). */
export function announcementLike(
  title: string,
  sampled: number,
  sampleSlug = '2006-shang-hai-shi-dian-re-shui-qi',
): Announcement {
  const file = join(projectRoot, 'content', 'announcements', `${sampleSlug}.json`);
  const sample = announcementSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  return {
    ...sample,
    title,
    titleComposed: false,
    region: '上海市',
    batches: { sampled, failed: 1 },
    // The newest announcement, so it is on the first page of the list, the home page and the feed.
    date: { text: '2026-12-01', iso: '2026-12-01', year: 2026 },
    firstPublishedAt: '2026-12-01',
    example: true,
  };
}

export async function publishAnnouncement(
  publications: Publications,
  slug: string,
  data: Announcement,
  publishedAt: string,
): Promise<Publication> {
  const created = await publications.create({
    kind: 'announcements',
    slug,
    revisions: [],
    draft: null,
    withdrawal: null,
    attachments: [],
    createdBy: 'editor',
  });
  if (!created) throw new Error(`slug ${slug} is taken`);
  const revision = { number: 1, data, publishedAt, preparedBy: 'editor', approvedBy: 'chief', correctionNote: null };
  return publications.save({ ...created, revisions: [revision] }, created.version, { publicChange: true });
}

export async function correct(
  publications: Publications,
  publication: Publication,
  data: Announcement,
  correctionNote: string,
  publishedAt: string,
): Promise<Publication> {
  const revision = {
    number: publication.revisions.length + 1,
    data,
    publishedAt,
    preparedBy: 'editor',
    approvedBy: 'chief',
    correctionNote,
  };
  return publications.save({ ...publication, revisions: [...publication.revisions, revision] }, publication.version, {
    publicChange: true,
  });
}

export async function withdraw(
  publications: Publications,
  publication: Publication,
  reason: string,
  at: string,
): Promise<Publication> {
  return publications.save({ ...publication, withdrawal: { reason, at, by: 'chief' } }, publication.version, {
    publicChange: true,
  });
}
