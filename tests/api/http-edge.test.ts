/**
 * The HTTP edge on the real built server (`dist/server/entry.mjs`): one error shape and one body
 * limit for every route, 405/415 instead of 404/500, the cross-site refusal worded for the route it
 * refuses and SITE_URL as the only trusted origin, the security headers, static files (cache
 * lifetimes, precompressed siblings, HEAD, no traversal), compression, the SSE caps and the timeouts.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSS_SITE_MESSAGES } from '../../src/lib/http/api-errors';
import { startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';
import { OPEN } from './voting-support';

let server: RunningServer;
let url: string;

beforeAll(async () => {
  server = await startServer({
    env: {
      ADMIN_PASSWORD,
      SSE_STREAMS_PER_ADDRESS: '2',
      SSE_STREAMS_TOTAL: '3',
      HTTP_HEADERS_TIMEOUT_MS: '1500',
      HTTP_REQUEST_TIMEOUT_MS: '3000',
    },
  });
  url = server.url;
});

afterAll(async () => {
  await server?.stop();
});

/** A raw request with exactly the headers given (fetch would add Origin/Sec-Fetch and fix Host). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A chunked body sent 16 KiB at a time until the server answers (it stops reading at its limit). */
function trickle(path: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      path,
      headers: { ...headers, 'transfer-encoding': 'chunked' },
    });
    const sender = setInterval(() => req.write(Buffer.alloc(16 * 1024, 'a')), 5);
    req.on('response', (res) => {
      clearInterval(sender);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (error) => {
      clearInterval(sender);
      reject(error);
    });
  });
}

describe('one body limit, read as a stream, for every route', () => {
  it('refuses a declared oversized body with 413 PAYLOAD_TOO_LARGE on the assistant and ballots', async () => {
    for (const path of ['/api/assistant', `/api/campaigns/${OPEN}/ballots`]) {
      const answer = await raw('POST', path, {
        'content-type': 'application/json',
        'content-length': String(10 * 1024 * 1024),
      });
      expect([path, answer.status, JSON.parse(answer.text).error.code]).toEqual([path, 413, 'PAYLOAD_TOO_LARGE']);
    }
  });

  it('reads the rest of a refused ballot body before closing, so a client still sending gets its 413', async () => {
    // Half-open, as an HTTP client sending its body is: it does not stop writing when the answer comes.
    const socket = connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
    await new Promise<void>((done) => socket.once('connect', () => done()));
    const errors: string[] = [];
    socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    const half = Buffer.alloc(32 * 1024, 'x');
    socket.write(
      `POST /api/campaigns/${OPEN}/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${url}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${2 * half.length}\r\n\r\n`,
    );
    socket.write(half);
    await new Promise((wait) => setTimeout(wait, 300));
    // Without the linger the server has closed by now, and this write meets a reset.
    socket.write(half);
    await new Promise((wait) => setTimeout(wait, 300));
    socket.end();
    await closed;
    expect(errors).toEqual([]);
    expect(answer).toMatch(/^HTTP\/1.1 413/);
    expect(answer).toContain('PAYLOAD_TOO_LARGE');
  });

  it('counts a chunked body without a length and stops at the limit', async () => {
    const answer = await trickle('/api/assistant', { 'content-type': 'application/json' });
    expect([answer.status, JSON.parse(answer.text).error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('answers an oversized staff API body with 413 PAYLOAD_TOO_LARGE, not 400 VALIDATION_FAILED', async () => {
    const admin = new StaffClient(url);
    expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(303);
    const answer = await admin.postJson('/api/admin/users', { username: 'x'.repeat(300 * 1024) });
    expect([answer.status, (await answer.json()).error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('answers an oversized staff login form with a Chinese 413 page, not a 500', async () => {
    const answer = await raw(
      'POST',
      '/admin/login/',
      { 'content-type': 'application/x-www-form-urlencoded' },
      `username=a&password=${'x'.repeat(400 * 1024)}`,
    );
    expect(answer.status).toBe(413);
    expect(answer.text).toContain('提交的内容过长');
  });
});

describe('415 and 405 instead of 500 and 404', () => {
  it('answers a staff login POST that is not a form with 415 and logs no stack trace', async () => {
    const answer = await raw('POST', '/admin/login/', { 'content-type': 'application/json' }, '{"username":"admin"}');
    expect(answer.status).toBe(415);
    expect(answer.headers['content-type']).toContain('text/html');
    expect(server.output()).not.toMatch(/at .*\(.*\.mjs:\d+/);
  });

  it('answers a question that is not JSON with 415', async () => {
    const answer = await raw('POST', '/api/assistant', { 'content-type': 'text/plain' }, '什么是抽查？');
    expect([answer.status, JSON.parse(answer.text).error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('answers an unsupported method on an API route with 405 JSON and Allow, keeps HEAD working', async () => {
    const answer = await raw('DELETE', '/api/health', {});
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
    expect(JSON.parse(answer.text).error.code).toBe('METHOD_NOT_ALLOWED');
    expect((await raw('HEAD', '/api/health', {})).status).toBe(200);
  });

  it('answers an unsupported method on a page with a Chinese 405 page and never logs the whole path', async () => {
    const longPath = `/${'p'.repeat(8000)}`;
    const before = server.output().length;
    const answer = await raw('PUT', longPath, {});
    expect(answer.status).toBe(405);
    expect(answer.text).toContain('这个地址不接受这种请求方式');
    const api = await raw('PATCH', `/api/campaigns/${'x'.repeat(8000)}`, {});
    expect(api.status).toBe(405);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.output().slice(before)).not.toContain('p'.repeat(300));
    expect(server.output().slice(before)).not.toContain('x'.repeat(300));
  });
});

describe('cross-site refusal', () => {
  const evil = { origin: 'https://evil.example', 'content-type': 'application/json' };

  it('speaks for the route it refuses', async () => {
    const cases = [
      ['/api/admin/users', CROSS_SITE_MESSAGES.admin],
      ['/api/assistant', CROSS_SITE_MESSAGES.assistant],
      [`/api/campaigns/${OPEN}/ballots`, CROSS_SITE_MESSAGES.voting],
    ] as const;
    for (const [path, message] of cases) {
      const answer = await raw('POST', path, evil, '{}');
      expect([path, answer.status, JSON.parse(answer.text).error]).toEqual([
        path,
        403,
        { code: 'CROSS_SITE', message },
      ]);
    }
  });

  it('trusts only SITE_URL, not the Host header (DNS rebinding)', async () => {
    const rebound = `http://rebound.example:${server.port}`;
    const answer = await raw(
      'POST',
      '/api/assistant',
      { host: `rebound.example:${server.port}`, origin: rebound, 'content-type': 'application/json' },
      '{}',
    );
    expect([answer.status, JSON.parse(answer.text).error.code]).toEqual([403, 'CROSS_SITE']);
    const ours = await raw(
      'POST',
      '/api/assistant',
      { origin: url, 'content-type': 'application/json' },
      '{"question":""}',
    );
    expect(ours.status).toBe(400);
  });
});

describe('headers, static files and compression', () => {
  it('sends the security headers on pages, API answers, static files and errors', async () => {
    const html = await fetch(`${url}/`);
    const page = await html.text();
    const asset = page.match(/\/_astro\/[^"']+\.(js|css)/)?.[0];
    expect(asset).toBeTruthy();
    for (const path of ['/', '/api/health', asset!, '/no-such-page/']) {
      const response = await fetch(`${url}${path}`);
      await response.arrayBuffer();
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
    }
  });

  it('keeps fingerprinted assets for a year and revalidates pages; serves precompressed siblings; HEAD works', async () => {
    const page = await (await fetch(`${url}/`)).text();
    const asset = page.match(/\/_astro\/[^"']+\.js/)?.[0] ?? page.match(/\/_astro\/[^"']+\.css/)?.[0];
    const assetAnswer = await raw('GET', asset!, { 'accept-encoding': 'br' });
    expect(assetAnswer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const home = await raw('GET', '/', { 'accept-encoding': 'br, gzip' });
    expect(home.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    expect(home.headers['content-encoding']).toBe('br');
    const gzip = await raw('GET', '/', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const head = await raw('HEAD', '/', {});
    expect([head.status, head.text]).toEqual([200, '']);
  });

  it('serves nothing outside dist/client', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/_astro/..%2f..%2fpackage.json',
      '/..%5c..%5cpackage.json',
    ]) {
      const answer = await raw('GET', path, {});
      expect([path, answer.status]).toEqual([path, 404]);
      expect(answer.text).not.toContain('nidianwocha-portal');
    }
  });

  it('answers the tally read on its direct path exactly as the Astro route does', async () => {
    // A plain id takes the entry's direct path; an id with capitals goes through Astro's route.
    const direct = await raw('GET', `/api/campaigns/no-such-campaign/tally`, {});
    const routed = await raw('GET', `/api/campaigns/No-Such-Campaign/tally`, {});
    expect([direct.status, JSON.parse(direct.text).error.code]).toEqual([404, 'NOT_FOUND']);
    expect(direct.text).toBe(routed.text);
    // The direct path knows its length; Astro's answer is chunked. Everything else is the same.
    const FRAMING = new Set(['date', 'content-length', 'transfer-encoding']);
    const headerNames = (answer: typeof direct) =>
      Object.keys(answer.headers)
        .filter((name) => !FRAMING.has(name))
        .sort();
    expect(headerNames(direct)).toEqual(headerNames(routed));
    const open = await raw('GET', `/api/campaigns/${OPEN}/tally/`, {});
    expect(open.status).toBe(200);
    expect(Object.keys(JSON.parse(open.text)).sort()).toEqual([
      'candidates',
      'events',
      'setAside',
      'total',
      'updatedAt',
    ]);
    const head = await raw('HEAD', `/api/campaigns/${OPEN}/tally`, {});
    expect([head.status, head.text, head.headers['content-length']]).toEqual([200, '', open.headers['content-length']]);
  });

  it('compresses dynamic JSON but never the event stream', async () => {
    const answer = await raw('GET', '/api/campaigns', { 'accept-encoding': 'gzip' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('gzip');
    const stream = await fetch(`${url}/api/campaigns/${OPEN}/tally/stream`, {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.headers.get('content-encoding')).toBeNull();
    await stream.body?.cancel();
  });
});

describe('connection caps and timeouts', () => {
  it('caps live-tally streams per address and in total, and frees a slot when a stream ends', async () => {
    const path = `${url}/api/campaigns/${OPEN}/tally/stream`;
    const open = async () => fetch(path);
    const first = await open();
    const second = await open();
    const third = await open();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(third.status).toBe(429);
    expect((await third.json()).error.code).toBe('TOO_MANY_STREAMS');
    await first.body?.cancel();
    await new Promise((r) => setTimeout(r, 300));
    const again = await open();
    expect(again.status).toBe(200);
    await second.body?.cancel();
    await again.body?.cancel();
  });

  it('closes a connection whose headers trickle in past the headers timeout', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((done) => socket.once('connect', () => done()));
    socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const startedAt = Date.now();
    const answer = await new Promise<string>((done) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.once('close', () => done(text));
    });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(answer).toMatch(/^HTTP\/1.1 408/);
  });
});
