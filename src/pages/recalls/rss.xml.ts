/**
 * RSS 2.0 feed of defective-product recalls (缺陷产品召回).
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
import { lastChanged, recallFeedItems, rssXml } from '~/lib/feeds';
import { paths } from '~/paths';
import { PUBLIC_PAGE_CACHE_CONTROL } from '~/server/http/cache-policy';

export const prerender = false;

export const GET: APIRoute = async ({ site, cache }) => {
  if (!site) throw new Error('astro.config.mjs 未设置 site（SITE_URL），无法生成订阅源中的绝对链接');
  const every = await everyEntry('recalls', cache);
  const records = every.filter(listed);
  const xml = rssXml(
    {
      title: `${siteConfig.name} - 缺陷产品召回`,
      description: '缺陷产品召回信息：召回产品、存在的缺陷与企业的处理办法。',
      siteUrl: new URL(paths.recalls(), site).href,
      feedUrl: new URL(paths.recallsFeed(), site).href,
      generator: siteConfig.name,
      lastBuildDate: lastChanged(records, lastStoreChange(every)),
    },
    recallFeedItems(records, site),
  );
  return new Response(xml, {
    headers: { 'Content-Type': 'application/rss+xml; charset=utf-8', 'Cache-Control': PUBLIC_PAGE_CACHE_CONTROL },
  });
};
