/**
 * What an announcement's or a recall's sharing card and article dates say, from the catalogue entry:
 * the facts in the source's own words, the date as the page shows it (an undated item says so and
 * gives the portal's day, never an invented one), and the OpenGraph article times.
 */
import type { Announcement, Recall } from '~/lib/content-schemas';
import { feedDay } from '~/lib/feeds';
import { latestCorrection } from '~/lib/publishing/catalogue';
import type { PublicationRevision } from '~/lib/publishing/model';
import { dateAsShown } from '~/lib/sampling/normalise';
import { beijingIsoInstant } from '~/lib/time/beijing';
import type { ShareCard } from './layout';

interface Entry<T> {
  data: T;
  revisions: readonly Pick<PublicationRevision, 'number' | 'publishedAt'>[];
}

interface Site {
  name: string;
  host: string;
}

export function announcementCard(entry: Entry<Announcement>, site: Site): ShareCard {
  const a = entry.data;
  const { sampled, failed } = a.batches;
  return {
    kind: '抽查结果公告',
    example: a.example,
    corrected: latestCorrection(entry) !== null,
    headline: a.category,
    result: [
      sampled !== null ? `抽查 ${sampled} 批次` : '抽查批次原文未给出总数',
      failed !== null ? `不合格 ${failed} 批次` : '不合格批次原文未给出',
    ].join('，'),
    alarming: failed !== null && failed > 0,
    detail: `${a.issuer}｜${a.region}`,
    date: `发布日期：${dateAsShown(a.date, a.firstPublishedAt)}`,
    siteName: site.name,
    hostOrg: site.host,
  };
}

export function recallCard(entry: Entry<Recall>, site: Site): ShareCard {
  const r = entry.data;
  return {
    kind: '缺陷产品召回',
    example: r.example,
    corrected: latestCorrection(entry) !== null,
    headline: r.product,
    result: `召回企业：${r.company}`,
    alarming: false,
    detail: `召回数量：${r.quantity ?? '原文未给出'}`,
    date: `发布日期：${dateAsShown(r.date, r.firstPublishedAt)}`,
    siteName: site.name,
    hostOrg: site.host,
  };
}

/** The short text a screen reader or a failed image load gives instead of the card (og:image:alt). */
export function shareCardAlt(card: ShareCard): string {
  return [card.example ? '（示例）' : '', `${card.kind}：${card.headline}。${card.result}。${card.date}`].join('');
}

export interface ArticleTimes {
  /** article:published_time: the feed day (the source's day, else the portal's first), midnight in Beijing. */
  published: string;
  /** article:modified_time: when the latest correction was published; null when never corrected. */
  modified: string | null;
}

/** The same day the feeds date the item by (src/lib/feeds `feedDay`), so a share and a feed agree. */
export function articleTimes(
  entry: Entry<{ date: Announcement['date']; firstPublishedAt: string; title: string; example: boolean }>,
): ArticleTimes {
  const correction = latestCorrection(entry);
  return {
    published: `${feedDay({ id: '', data: entry.data })}T00:00:00+08:00`,
    modified: correction ? beijingIsoInstant(correction.publishedAt) : null,
  };
}
