/**
 * The Content-Security-Policy on the real built server: every sampled page (prerendered ones carry it
 * in a <meta>, on-demand ones in the header) has the site-wide policy, and every inline script and
 * style it carries is allowed by a hash in that policy, since the policy has no 'unsafe-inline'.
 * No element carries a style attribute, which no hash can allow (the policy has no 'unsafe-hashes').
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../src/paths';
import { projectRoot, startServer, type RunningServer } from '../support/server';
import { eventCli, lastLine, OPEN, shanghaiTime } from './voting-support';

let server: RunningServer;
let dataDir: string;
let eventCode: string;

beforeAll(async () => {
  // The event CLI takes the data folder's writer lock, so the event is made before the server starts.
  dataDir = mkdtempSync(join(tmpdir(), 'portal-csp-'));
  const opens = shanghaiTime(-60);
  eventCode = lastLine(
    eventCli(dataDir, [
      'create',
      '--campaign',
      OPEN,
      '--type',
      'school',
      '--name',
      '“你点我查”进校园（示例小学）',
      '--place',
      '示例小学礼堂',
      '--date',
      opens.slice(0, 10),
      '--start',
      opens,
      '--end',
      shanghaiTime(600),
    ]),
  );
  server = await startServer({ dataDir });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function samplePages(): Record<string, string> {
  // Announcement pages are rendered on request from the live catalogue; the sample files name them.
  const announcement = readdirSync(join(projectRoot, 'content', 'announcements'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort()[0];
  if (!announcement) throw new Error('the sample content has no announcements');
  return {
    home: paths.home(),
    announcement: paths.announcement(announcement),
    announcements: paths.announcements(),
    stats: paths.stats(),
    search: paths.search(),
    ballot: paths.campaign(OPEN),
    projector: paths.eventProjector(OPEN, eventCode),
    poster: paths.eventPoster(OPEN, eventCode),
    assistant: paths.assistant(),
    adminLogin: paths.adminLogin(),
    notFound: '/no-such-page/',
  };
}

/** Every policy in force on a page: the header ones and the <meta http-equiv> one (a browser applies all). */
function policiesOf(headers: Headers, html: string): string[] {
  const fromHeader = (headers.get('content-security-policy') ?? '').split(',').filter((policy) => policy.trim());
  const fromMeta = [...html.matchAll(/<meta http-equiv="content-security-policy" content="([^"]*)"/gi)].map((match) =>
    (match[1] ?? '').replaceAll('&#39;', "'").replaceAll('&apos;', "'"),
  );
  return [...fromHeader, ...fromMeta];
}

/** The sources of one directive of a policy, or undefined when the policy lacks it. */
function directive(policy: string, name: string): string[] | undefined {
  for (const part of policy.split(';')) {
    const [directiveName, ...sources] = part.trim().split(/\s+/);
    if (directiveName === name) return sources;
  }
  return undefined;
}

const sha256Source = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The text of inline elements the browser would run or apply (data blocks such as JSON-LD run nothing). */
function inlineContents(html: string, tag: 'script' | 'style'): string[] {
  const pattern = new RegExp(`<${tag}\\b([^>]*)>([\\s\\S]*?)</${tag}>`, 'gi');
  return [...html.matchAll(pattern)]
    .filter(([, attributes = '']) => !/\bsrc=/i.test(attributes))
    .filter(([, attributes = '']) => {
      const type = /\btype="([^"]*)"/i.exec(attributes)?.[1]?.toLowerCase();
      return tag === 'style' || type === undefined || type === 'module' || type.includes('javascript');
    })
    .map(([, , content = '']) => content);
}

describe('Content-Security-Policy', () => {
  it('comes with a page the route cache answers, as with the page it rendered', async () => {
    const first = await fetch(`${server.url}${paths.home()}`);
    const second = await fetch(`${server.url}${paths.home()}`);
    await Promise.all([first.text(), second.text()]);
    expect(second.headers.get('x-astro-cache')).toBe('HIT');
    expect(second.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
    expect(second.headers.get('content-security-policy')).toContain('script-src');
  });

  it('is on every sampled page, with the site-wide directives', async () => {
    for (const [name, path] of Object.entries(samplePages())) {
      const response = await fetch(`${server.url}${path}`);
      const html = await response.text();
      expect(response.status, name).toBe(name === 'notFound' ? 404 : 200);
      const policy = policiesOf(response.headers, html).find((candidate) => directive(candidate, 'script-src'));
      expect(policy, `${name}: no policy with script-src`).toBeDefined();
      const must: Record<string, string[]> = {
        'default-src': ["'self'"],
        'script-src': ["'self'", "'wasm-unsafe-eval'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'object-src': ["'none'"],
      };
      for (const [directiveName, sources] of Object.entries(must)) {
        expect(directive(policy as string, directiveName), `${name} ${directiveName}`).toEqual(
          expect.arrayContaining(sources),
        );
      }
      for (const directiveName of ['script-src', 'style-src']) {
        expect(directive(policy as string, directiveName), `${name} ${directiveName}`).not.toContain("'unsafe-inline'");
      }
      // frame-ancestors is ignored in a <meta>: it must come in a header on every page.
      const headerPolicy = response.headers.get('content-security-policy') ?? '';
      expect(directive(headerPolicy, 'frame-ancestors'), name).toEqual(["'none'"]);
    }
  });

  it('allows every inline script and style of the sampled pages by hash, and none has a style attribute', async () => {
    let checkedScripts = 0;
    for (const [name, path] of Object.entries(samplePages())) {
      const response = await fetch(`${server.url}${path}`);
      const html = await response.text();
      const policies = policiesOf(response.headers, html);
      const allowed = (directiveName: string) =>
        new Set(policies.flatMap((policy) => directive(policy, directiveName) ?? []));
      const scripts = inlineContents(html, 'script');
      const scriptSources = allowed('script-src');
      for (const script of scripts) {
        expect(
          scriptSources.has(sha256Source(script)),
          `${name}: inline script not hashed: ${script.slice(0, 80)}`,
        ).toBe(true);
      }
      const styleSources = allowed('style-src');
      for (const style of inlineContents(html, 'style')) {
        expect(styleSources.has(sha256Source(style)), `${name}: inline style not hashed: ${style.slice(0, 80)}`).toBe(
          true,
        );
      }
      expect(html.match(/<[^>]+\sstyle="[^"]*"/i)?.[0], `${name}: style attribute`).toBeUndefined();
      checkedScripts += scripts.length;
    }
    // The public pages carry at least the 关怀版 pre-paint script, so the loop above checked something.
    expect(checkedScripts).toBeGreaterThan(0);
  });
});
