/** The CSP of prerendered pages, looked up by request path from the build's `_headers.json`. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStaticPagePolicies } from '~/server/http/static-page-policies';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function buildFolder(content: unknown): URL {
  const folder = mkdtempSync(join(tmpdir(), 'portal-headers-'));
  folders.push(folder);
  writeFileSync(join(folder, '_headers.json'), JSON.stringify(content));
  return pathToFileURL(`${folder}/`);
}

describe('static page policies', () => {
  it('finds a page by its directory path, its index.html and its bare path, and the home page by /', () => {
    const policies = loadStaticPagePolicies(
      buildFolder([
        { pathname: '/', headers: [{ key: 'Content-Security-Policy', value: 'home-policy' }] },
        { pathname: '/recalls', headers: [{ key: 'Content-Security-Policy', value: 'recalls-policy' }] },
      ]),
    );
    expect(policies.forPath('/')).toBe('home-policy');
    expect(policies.forPath('/index.html')).toBe('home-policy');
    for (const path of ['/recalls', '/recalls/', '/recalls/index.html'])
      expect(policies.forPath(path), path).toBe('recalls-policy');
    expect(policies.forPath('/favicon.svg')).toBeUndefined();
    expect(policies.forPath('/recalls/rss.xml')).toBeUndefined();
  });

  it('refuses a headers file of another shape instead of serving pages without a policy', () => {
    expect(() => loadStaticPagePolicies(buildFolder({ '/': 'policy' }))).toThrow();
  });
});
