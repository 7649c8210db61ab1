/** The pure parts of the HTTP edge: the error table, the area a path speaks for, cache lifetimes, stream caps, log capping. */
import { describe, expect, it } from 'vitest';
import { ADMIN_MESSAGES, ADMIN_STATUS } from '../../src/lib/admin/messages';
import { ERROR_MESSAGES, ERROR_STATUS } from '../../src/lib/assistant/request';
import { CROSS_SITE_MESSAGES, EDGE_ERRORS, siteAreaOf } from '../../src/lib/http/api-errors';
import { VOTING_MESSAGES, VOTING_STATUS } from '../../src/lib/voting/messages';
import { cacheControlFor } from '../../src/server/http/cache-policy';
import { forLog } from '../../src/server/http/log';
import { StreamRegistry } from '../../src/server/http/streams';

describe('one code per meaning, one status per code', () => {
  const tables = { voting: VOTING_STATUS, admin: ADMIN_STATUS, assistant: ERROR_STATUS } as Record<
    string,
    Record<string, number>
  >;

  it('answers every edge code with the same status in every feature', () => {
    for (const [feature, statuses] of Object.entries(tables)) {
      for (const [code, status] of Object.entries(statuses)) {
        if (code in EDGE_ERRORS)
          expect([feature, code, status]).toEqual([
            feature,
            code,
            EDGE_ERRORS[code as keyof typeof EDGE_ERRORS].status,
          ]);
      }
    }
  });

  it('has no second name for "too large" or "internal error"', () => {
    const codes = [...Object.keys(VOTING_MESSAGES), ...Object.keys(ADMIN_MESSAGES), ...Object.keys(ERROR_MESSAGES)];
    expect(codes).not.toContain('BODY_TOO_LARGE');
    expect(codes).not.toContain('INTERNAL');
    expect(new Set(codes.filter((code) => code.includes('TOO_LARGE')))).toEqual(new Set(['PAYLOAD_TOO_LARGE']));
  });

  it('words the cross-site refusal for the area of the path', () => {
    expect(siteAreaOf('/api/admin/users')).toBe('admin');
    expect(siteAreaOf('/admin/login/')).toBe('admin');
    expect(siteAreaOf('/api/assistant')).toBe('assistant');
    expect(siteAreaOf('/assistant/')).toBe('assistant');
    expect(siteAreaOf('/api/campaigns/x/ballots')).toBe('voting');
    expect(siteAreaOf('/administrator')).toBe('voting');
    expect(ADMIN_MESSAGES.CROSS_SITE).toBe(CROSS_SITE_MESSAGES.admin);
    expect(ERROR_MESSAGES.CROSS_SITE).toBe(CROSS_SITE_MESSAGES.assistant);
    expect(VOTING_MESSAGES.CROSS_SITE).toBe(CROSS_SITE_MESSAGES.voting);
  });
});

describe('cache lifetimes', () => {
  it('keeps fingerprinted files for a year and revalidates the rest', () => {
    const year = 'public, max-age=31536000, immutable';
    expect(cacheControlFor('/_astro/Ballot.CuQ3ABGG.js')).toBe(year);
    expect(cacheControlFor('/pagefind/fragment/zh-cn_1a2b3c.pf_fragment')).toBe(year);
    expect(cacheControlFor('/pagefind/pagefind.zh-cn_0f9e8d.pf_meta')).toBe(year);
    for (const path of ['/', '/index.html', '/pagefind/pagefind.js', '/pagefind/pagefind-entry.json', '/favicon.svg']) {
      expect([path, cacheControlFor(path)]).toEqual([path, 'public, max-age=0, must-revalidate']);
    }
  });
});

describe('stream caps', () => {
  it('admits up to the per-address and total caps, and frees a slot once on release', () => {
    const streams = new StreamRegistry(() => ({ perAddress: 2, total: 3 }));
    const a1 = streams.admit('a');
    const a2 = streams.admit('a');
    expect([a1.ok, a2.ok, streams.admit('a').ok]).toEqual([true, true, false]);
    expect(streams.admit('b').ok).toBe(true);
    expect(streams.admit('c').ok).toBe(false);
    if (!a1.ok) throw new Error('unreachable');
    a1.release();
    a1.release();
    expect(streams.open).toBe(2);
    expect(streams.admit('c').ok).toBe(true);
    expect(streams.admit('d').ok).toBe(false);
  });

  it('ends every registered stream at shutdown, but not one that unregistered', () => {
    const streams = new StreamRegistry(() => ({ perAddress: 1, total: 1 }));
    const ended: string[] = [];
    streams.onShutdown(() => ended.push('projector'));
    const forget = streams.onShutdown(() => ended.push('closed tab'));
    forget();
    streams.endAll();
    expect(ended).toEqual(['projector']);
  });
});

describe('log lines', () => {
  it('caps request data written to the log', () => {
    expect(forLog('/campaigns/')).toBe('/campaigns/');
    const logged = forLog(`/${'p'.repeat(8000)}`);
    expect(logged.length).toBeLessThan(240);
    expect(logged).toContain('8001');
  });
});
