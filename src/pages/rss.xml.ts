/**
 * RSS 2.0 feed of spot-check announcements (抽查结果公告).
 * Links are absolute, built from the configured site URL (SITE_URL in astro.config.mjs).
 * Rendered on request: the node adapter serves prerendered .xml files as plain `application/xml`,
 * and feed readers expect `application/rss+xml; charset=utf-8`.
 */
import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import RSS from 'rss';
import { siteConfig } from '~/config/site';
import { announcementFeedItems } from '~/lib/feeds';
import { paths } from '~/paths';

export const prerender = false;

export const GET: APIRoute = async ({ site }) => {
  if (!site) throw new Error('astro.config.mjs 未设置 site（SITE_URL），无法生成订阅源中的绝对链接');
  const feed = new RSS({
    title: `${siteConfig.name} - 产品质量监督抽查结果公告`,
    description: '各级市场监管部门发布的产品质量监督抽查结果，含不合格产品及不合格项目。',
    site_url: new URL(paths.announcements(), site).href,
    feed_url: new URL(paths.announcementsFeed(), site).href,
    language: 'zh-cn',
    generator: siteConfig.name,
  });
  for (const item of announcementFeedItems(await getCollection('announcements'), site)) feed.item(item);
  return new Response(feed.xml(), {
    headers: { 'Content-Type': 'application/rss+xml; charset=utf-8', 'Cache-Control': 'public, max-age=600' },
  });
};
