/**
 * Searches a running portal the way the search page does: loads the site's own /pagefind/pagefind.js
 * (Pagefind's browser API, which also runs in Node) and asks it, so a test sees what a reader would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface PagefindModule {
  options: (options: { basePath: string }) => Promise<void>;
  search: (query: string) => Promise<{ results: { data: () => Promise<SearchHit> }[] }>;
}

export interface SearchHit {
  url: string;
  excerpt: string;
  meta: Record<string, string>;
}

/** Every hit for `query` on the site at `baseUrl`, with a fresh copy of its Pagefind bundle each call. */
export async function searchSite(baseUrl: string, query: string): Promise<SearchHit[]> {
  const response = await fetch(`${baseUrl}/pagefind/pagefind.js`);
  if (!response.ok) throw new Error(`/pagefind/pagefind.js: HTTP ${response.status}`);
  const dir = mkdtempSync(join(tmpdir(), 'pagefind-client-'));
  try {
    const file = join(dir, 'pagefind.js');
    writeFileSync(file, await response.text());
    // A new file each time: Node caches modules by URL, and the bundle keeps the entry file it loaded.
    const engine = (await import(pathToFileURL(file).href)) as PagefindModule;
    await engine.options({ basePath: `${baseUrl}/pagefind/` });
    const { results } = await engine.search(query);
    const hits = await Promise.all(results.map((result) => result.data()));
    // Pagefind puts the base path's origin before some result URLs; the site's own paths are compared.
    return hits.map((hit) => ({ ...hit, url: new URL(hit.url, baseUrl).pathname }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
