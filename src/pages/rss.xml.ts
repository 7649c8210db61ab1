/**
 * RSS 2.0 feed of spot-check announcements (抽查结果公告).
 * Links are absolute, built from the configured site URL (SITE_URL in astro.config.mjs).
 * Read live from the catalogue (withdrawn items left out, corrected ones marked 更正) and kept in the
 * route cache until its kind changes. lastBuildDate is when the content last changed (a publication,
 * correction or withdrawal included), so readers polling an unchanged feed see nothing new.
 * Rendered on request: the node adapter serves prerendered .xml files as plain `application/xml`,
 * and feed readers expect `application/rss+xml; charset=utf-8`.
 */
import type { APIRoute } from 'astro';
import { everyEntry } from '~/content-queries';
import { lastStoreChange, listed } from '~/lib/publishing/catalogue';
import { siteConfig } from '~/config/site';
import { lastChanged, announcementFeedItems, rssXml } from '~/lib/feeds';
import { paths } from '~/paths';
import { PUBLIC_PAGE_CACHE_CONTROL } from '~/server/http/cache-policy';

export const prerender = false;

export const GET: APIRoute = async ({ site, cache }) => {
  if (!site) throw new Error('astro.config.mjs 未设置 site（SITE_URL），无法生成订阅源中的绝对链接');
  const every = await everyEntry('announcements', cache);
  const records = every.filter(listed);
  const xml = rssXml(
    {
      title: `${siteConfig.name} - 产品质量监督抽查结果公告`,
      description: '各级市场监管部门发布的产品质量监督抽查结果，含不合格产品及不合格项目。',
      siteUrl: new URL(paths.announcements(), site).href,
      feedUrl: new URL(paths.announcementsFeed(), site).href,
      generator: siteConfig.name,
      lastBuildDate: lastChanged(records, lastStoreChange(every)),
    },
    announcementFeedItems(records, site),
  );
  return new Response(xml, {
    headers: { 'Content-Type': 'application/rss+xml; charset=utf-8', 'Cache-Control': PUBLIC_PAGE_CACHE_CONTROL },
  });
};
