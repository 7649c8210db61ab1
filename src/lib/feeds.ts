/**
 * The RSS 2.0 feeds, built from content records. Pure: the endpoints hand in the records and the
 * site URL and serve the returned XML.
 * Every record is syndicated. Its feed date is the day its source names; when the source names no
 * exact day this site never invents one and uses the day the portal first published the record,
 * and says so in the item. A corrected item keeps its guid (its address) and says 更正 in its title
 * and description, so readers show the correction on the item they already have.
 */
import type { Announcement, PublishedDate, Recall } from './content-schemas';
import { latestCorrection } from '~/lib/publishing/catalogue';
import type { PublicationRevision } from '~/lib/publishing/model';
import { formatPublishedDate, portalPublishedLabel } from '~/lib/sampling/normalise';
import { formatBeijingDate } from '~/lib/time/beijing';
import { recallHeading } from '~/lib/sampling/recall';
import RSS from 'rss';
import { paths } from '~/paths';

export const FEED_ITEM_LIMIT = 50;

export interface FeedItem {
  title: string;
  /** HTML paragraphs, text escaped. */
  description: string;
  /** Absolute URL, written as <link> and as <guid isPermaLink="true">. */
  url: string;
  /** Noon UTC on the feed day, so readers from UTC−11 to UTC+11 show that same day. */
  date: Date;
}

interface Dated<T> {
  id: string;
  data: T & { date: PublishedDate; firstPublishedAt: string; example: boolean; title: string };
  /** Published revisions of a store item (none for sample content). */
  revisions?: readonly Pick<PublicationRevision, 'number' | 'publishedAt' | 'correctionNote'>[];
}

/** The feed day of a record: the day its source names, else the day the portal first published it. */
export function feedDay(record: Dated<object>): string {
  return record.data.date.iso ?? record.data.firstPublishedAt;
}

/**
 * Noon UTC on a day. Midnight in Beijing is 16:00 UTC the day before, which a reader in UTC or
 * west of it shows as the previous day; at noon UTC the day is the same from UTC−11 to UTC+11.
 */
export function feedInstant(isoDay: string): Date {
  return new Date(`${isoDay}T12:00:00Z`);
}

const exampleMark = (example: boolean) => (example ? '（示例）' : '');

/** The title mark and first line of a corrected item; nothing for one never corrected. */
function correctionOf(record: Dated<object>): { mark: string; line: string | null } {
  const correction = latestCorrection({ revisions: record.revisions ?? [] });
  if (!correction) return { mark: '', line: null };
  const note = correction.correctionNote ? `：${correction.correctionNote}` : '';
  return { mark: '【更正】', line: `更正（${formatBeijingDate(correction.publishedAt)}）${note}` };
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Feed readers render the description as HTML: one escaped paragraph per line of text. */
export function paragraphs(lines: readonly (string | null)[]): string {
  return lines
    .map((line) => line?.trim())
    .filter(Boolean)
    .map((line) => `<p>${escapeXml(line!)}</p>`)
    .join('');
}

/** The date line of an item: the source's date, and the portal's when the source gives no day. */
function dateLine(data: { date: PublishedDate; firstPublishedAt: string }): string {
  const portal = portalPublishedLabel(data.date, data.firstPublishedAt);
  const source = data.date.text || data.date.iso ? `日期：${formatPublishedDate(data.date)}` : '原文未注明日期';
  return portal ? `${source}；${portal}` : source;
}

/** Newest feed day first (ties by id, so the order is stable), at most `limit`. */
function newestFirst<T extends object>(records: readonly Dated<T>[], limit: number): Dated<T>[] {
  return [...records].sort((a, b) => feedDay(b).localeCompare(feedDay(a)) || a.id.localeCompare(b.id)).slice(0, limit);
}

/**
 * When the content of a feed last changed: the latest feed day or first-publication day of any of its
 * records, or the latest publication, correction or withdrawal in the store (`lastStoreChange`, an
 * instant) when that is later — not the time of the request, which would tell readers that
 * something is new on every poll.
 */
export function lastChanged(records: readonly Dated<object>[], lastStoreChange: string | null = null): Date | null {
  const days = records.flatMap((r) => [r.data.firstPublishedAt, feedDay(r)]).sort();
  const last = days.at(-1);
  const instants = [last ? feedInstant(last) : null, lastStoreChange ? new Date(lastStoreChange) : null].filter(
    (instant): instant is Date => instant !== null && !Number.isNaN(instant.getTime()),
  );
  return instants.length > 0 ? new Date(Math.max(...instants.map((instant) => instant.getTime()))) : null;
}

export function announcementFeedItems(
  records: readonly Dated<Pick<Announcement, 'issuer' | 'summary' | 'category' | 'region' | 'batches'>>[],
  site: URL,
  limit = FEED_ITEM_LIMIT,
): FeedItem[] {
  return newestFirst(records, limit).map((record) => {
    const { data } = record;
    const facts = [
      `发布：${data.issuer}`,
      `产品：${data.category}`,
      `地区：${data.region}`,
      data.batches.sampled !== null ? `抽查 ${data.batches.sampled} 批次` : null,
      data.batches.failed !== null ? `不合格 ${data.batches.failed} 批次` : null,
    ].filter((fact): fact is string => fact !== null);
    const correction = correctionOf(record);
    return {
      title: `${correction.mark}${exampleMark(data.example)}${data.title}`,
      description: paragraphs([correction.line, dateLine(data), `${facts.join('；')}。`, data.summary]),
      url: new URL(paths.announcement(record.id), site).href,
      date: feedInstant(feedDay(record)),
    };
  });
}

export function recallFeedItems(
  records: readonly Dated<Pick<Recall, 'company' | 'product' | 'titleComposed' | 'defect' | 'hazard' | 'remedy'>>[],
  site: URL,
  limit = FEED_ITEM_LIMIT,
): FeedItem[] {
  return newestFirst(records, limit).map((record) => {
    const { data } = record;
    const correction = correctionOf(record);
    return {
      title: `${correction.mark}${exampleMark(data.example)}${recallHeading(data)}（${formatPublishedDate(data.date)}）`,
      description: paragraphs([
        correction.line,
        data.titleComposed ? null : `原文标题：${data.title}`,
        dateLine(data),
        `召回企业：${data.company}`,
        `召回产品：${data.product}`,
        data.defect ? `缺陷：${data.defect}` : null,
        data.hazard ? `可能的危害：${data.hazard}` : null,
        data.remedy ? `处理办法：${data.remedy}` : null,
      ]),
      url: new URL(paths.recall(record.id), site).href,
      date: feedInstant(feedDay(record)),
    };
  });
}

export interface FeedChannel {
  title: string;
  description: string;
  /** Absolute URL of the page the feed mirrors. */
  siteUrl: string;
  /** Absolute URL of the feed itself. */
  feedUrl: string;
  generator: string;
  lastBuildDate: Date | null;
}

/** The RSS 2.0 document (with an atom:link to itself, as feed validators ask). */
export function rssXml(channel: FeedChannel, items: readonly FeedItem[]): string {
  const feed = new RSS({
    title: channel.title,
    description: channel.description,
    site_url: channel.siteUrl,
    feed_url: channel.feedUrl,
    language: 'zh-cn',
    generator: channel.generator,
  });
  for (const item of items) feed.item({ ...item });
  // The rss package always stamps lastBuildDate with the time of the request; a subscriber's reader
  // must see when the content last changed instead (or no date at all when nothing is dated).
  const lastBuildDate = channel.lastBuildDate
    ? `<lastBuildDate>${channel.lastBuildDate.toUTCString()}</lastBuildDate>`
    : '';
  return feed.xml().replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, lastBuildDate);
}
