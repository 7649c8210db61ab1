/**
 * Items of the RSS feeds, built from content records. Pure: the endpoints hand in the records and the
 * site URL and pass the result to the `rss` package.
 * A feed item needs a publication date and this site never invents one, so only records whose source
 * names an exact day are syndicated; year-only and undated records stay on the site's lists.
 */
import type { Announcement, PublishedDate, Recall } from './content-schemas';
import { paths } from '~/paths';
import { beijingMidnight } from '~/lib/time/beijing';

export const FEED_ITEM_LIMIT = 50;

export interface FeedItem {
  title: string;
  /** HTML paragraphs, text escaped. */
  description: string;
  /** Absolute URL; the rss package writes it as <link> and as <guid isPermaLink="true">. */
  url: string;
  /** Midnight China Standard Time on the day the source names. */
  date: Date;
}

interface Dated<T> {
  id: string;
  data: T & { date: PublishedDate; example: boolean; title: string };
}

const exampleMark = (example: boolean) => (example ? '（示例）' : '');

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Feed readers render the description as HTML: one escaped paragraph per line of text. */
export function paragraphs(lines: readonly string[]): string {
  return lines
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

/** Keeps records that name an exact day, newest first (ties by id, so the order is stable), at most `limit`. */
function newestWithDay<T>(records: readonly Dated<T>[], limit: number): (Dated<T> & { day: string })[] {
  return records
    .flatMap((record) => (record.data.date.iso ? [{ ...record, day: record.data.date.iso }] : []))
    .sort((a, b) => b.day.localeCompare(a.day) || a.id.localeCompare(b.id))
    .slice(0, limit);
}

export function announcementFeedItems(
  records: readonly Dated<Pick<Announcement, 'issuer' | 'summary' | 'category' | 'region' | 'batches'>>[],
  site: URL,
  limit = FEED_ITEM_LIMIT,
): FeedItem[] {
  return newestWithDay(records, limit).map((record) => {
    const { data } = record;
    const facts = [
      `发布：${data.issuer}`,
      `产品：${data.category}`,
      `地区：${data.region}`,
      data.batches.sampled !== null ? `抽查 ${data.batches.sampled} 批次` : null,
      data.batches.failed !== null ? `不合格 ${data.batches.failed} 批次` : null,
    ].filter((fact): fact is string => fact !== null);
    return {
      title: `${exampleMark(data.example)}${data.title}`,
      description: paragraphs([`${facts.join('；')}。`, data.summary]),
      url: new URL(paths.announcement(record.id), site).href,
      date: beijingMidnight(record.day),
    };
  });
}

export function recallFeedItems(
  records: readonly Dated<Pick<Recall, 'company' | 'product' | 'defect' | 'hazard' | 'remedy'>>[],
  site: URL,
  limit = FEED_ITEM_LIMIT,
): FeedItem[] {
  return newestWithDay(records, limit).map((record) => {
    const { data } = record;
    const lines = [
      `召回企业：${data.company}`,
      `召回产品：${data.product}`,
      data.defect ? `缺陷：${data.defect}` : null,
      data.hazard ? `可能的危害：${data.hazard}` : null,
      data.remedy ? `处理办法：${data.remedy}` : null,
    ].filter((line): line is string => line !== null);
    return {
      title: `${exampleMark(data.example)}${data.title}`,
      description: paragraphs(lines),
      url: new URL(paths.recall(record.id), site).href,
      date: beijingMidnight(record.day),
    };
  });
}
