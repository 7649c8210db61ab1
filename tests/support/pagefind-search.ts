/**
 * Searches a running portal the way the search page does: reads the live index's manifest, loads the
 * site's own /pagefind/pagefind.js (Pagefind's browser API, which also runs in Node), merges the
 * manifest's delta bundle and drops the base records it supersedes, so a test sees what a reader would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { announcementSchema } from '../../src/lib/content-schemas';
import {
  liveResults,
  mergeDelta,
  parseLiveManifest,
  type LiveManifest,
  type PagefindEngine,
} from '../../src/lib/search/live-delta';
import { paths } from '../../src/paths';

/** A made-up brand no real record has, so a hit for it can only be the announcement below. */
export const UNIQUE_BRAND = '琉璃鹳';

/** A 示例 announcement whose one failed product carries UNIQUE_BRAND, for tests that publish it. */
export const brandedAnnouncement = announcementSchema.parse({
  title: `示例：${UNIQUE_BRAND}牌电热毯产品质量监督抽查结果`,
  issuer: '上海市市场监督管理局（示例）',
  date: { text: '2026-11-20', iso: '2026-11-20', year: 2026 },
  category: '电热毯',
  region: '上海市',
  batches: { sampled: 10, failed: 1 },
  failedProducts: [{ productName: '电热毯', brand: UNIQUE_BRAND, manufacturer: '示例电器有限公司', failedItems: [] }],
  source: { url: 'https://example.org/search-test' },
  firstPublishedAt: '2026-11-21',
  example: true,
});

interface PagefindModule extends PagefindEngine<SearchHit> {
  options: (options: { basePath: string }) => Promise<void>;
}

export interface SearchHit {
  url: string;
  excerpt: string;
  meta: Record<string, string>;
}

/** The live index's manifest, or null where the site serves none (before its first live base index). */
export async function liveManifest(baseUrl: string): Promise<LiveManifest | null> {
  const response = await fetch(`${baseUrl}${paths.searchIndexManifest()}`);
  return response.ok ? parseLiveManifest(await response.json()) : null;
}

/** Every hit for `query` on the site at `baseUrl`, with a fresh copy of its Pagefind bundle each call. */
export async function searchSite(baseUrl: string, query: string): Promise<SearchHit[]> {
  const manifest = await liveManifest(baseUrl);
  const response = await fetch(`${baseUrl}${paths.searchIndex()}pagefind.js`);
  if (!response.ok) throw new Error(`/pagefind/pagefind.js: HTTP ${response.status}`);
  const dir = mkdtempSync(join(tmpdir(), 'pagefind-client-'));
  try {
    const file = join(dir, 'pagefind.js');
    writeFileSync(file, await response.text());
    // A new file each time: Node caches modules by URL, and the bundle keeps the entry file it loaded.
    const engine = (await import(pathToFileURL(file).href)) as PagefindModule;
    await engine.options({ basePath: `${baseUrl}${paths.searchIndex()}` });
    await mergeDelta(engine, manifest, baseUrl);
    const hits = await liveResults(engine, manifest, query, Number.POSITIVE_INFINITY);
    // Pagefind puts the base path's origin before some result URLs; the site's own paths are compared.
    return hits.map((hit) => ({ ...hit, url: new URL(hit.url, baseUrl).pathname }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
