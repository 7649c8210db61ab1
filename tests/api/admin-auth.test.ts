/**
 * The staff guard against the real built server: every spelling of an admin path without a session,
 * 401/403, CSRF, login lockout, and session expiry (own server with a 3-second idle timeout).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';

let server: RunningServer;
let admin: StaffClient;

beforeAll(async () => {
  server = await startServer({ env: { ADMIN_PASSWORD, ADMIN_LOGIN_MAX_FAILURES: '5' } });
  admin = new StaffClient(server.url);
  expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(303);
});

afterAll(async () => {
  await server?.stop();
});

/** Text that only a logged-in staff page or answer contains. */
const STAFF_MARKERS = ['退出登录', 'csrfToken', '审计日志</h1>', '账号管理</h1>', 'passwordHash', '"username"'];

describe('admin paths without a session', () => {
  /** Where the guard sends a visitor without a session: the login page, back to the plain spelling. */
  const loginFor = (guarded: string) => `/admin/login/?next=${encodeURIComponent(guarded)}`;
  const guardedSpellings: [spelling: string, location: string][] = [
    ['/admin', loginFor('/admin')],
    ['/admin/', loginFor('/admin/')],
    ['/%61dmin', loginFor('/admin')],
    ['/%61dmin/', loginFor('/admin/')],
    ['//admin', loginFor('/admin')],
    ['//admin/', loginFor('/admin/')],
    ['/admin/../admin/', loginFor('/admin/')],
    ['/admin/./', loginFor('/admin/')],
    ['/admin/%2e%2e/admin/', loginFor('/admin/')],
    ['/admin/users', loginFor('/admin/users')],
    ['/admin/users/', loginFor('/admin/users/')],
    ['/%61dmin/users/', loginFor('/admin/users/')],
    ['//admin/audit/', loginFor('/admin/audit/')],
    ['/admin/audit/', loginFor('/admin/audit/')],
    ['/admin/audit/?page=1', loginFor('/admin/audit/')],
    ['/admin/campaigns/2027-ni-dian-wo-cha/', loginFor('/admin/campaigns/2027-ni-dian-wo-cha/')],
    ['/admin/plan/2027/', loginFor('/admin/plan/2027/')],
    ['/admin/plan/2027.csv', loginFor('/admin/plan/2027.csv')],
    ['/admin/plan/2027.json', loginFor('/admin/plan/2027.json')],
  ];

  it.each(guardedSpellings)('%s redirects to the login page, never staff data', async (path, location) => {
    // fetch() would normalise "/admin/../admin/"; send the raw path with a request target of our own.
    const response = await rawGet(server.port, path);
    expect([response.status, response.location]).toEqual([303, location]);
    for (const marker of STAFF_MARKERS) expect(response.body).not.toContain(marker);
  });

  it('a doubled slash redirects to the plain spelling, which is guarded in turn', async () => {
    const response = await rawGet(server.port, '/admin//');
    expect([response.status, response.location]).toEqual([301, '/admin/']);
    for (const marker of STAFF_MARKERS) expect(response.body).not.toContain(marker);
  });

  // Routes match case-sensitively and `;` is part of the segment: these reach no page at all.
  const unroutedSpellings = ['/ADMIN', '/ADMIN/', '/Admin/users/', '/admin;x', '/admin/;x'];
  it.each(unroutedSpellings)('%s is the public 404 page, never staff data', async (path) => {
    const response = await rawGet(server.port, path);
    expect(response.status).toBe(404);
    expect(response.body).toContain('找不到这个页面');
    for (const marker of STAFF_MARKERS) expect(response.body).not.toContain(marker);
  });

  const apis = [
    '/api/admin/session',
    '/api/admin/users',
    '/api/admin/audit',
    '/api/%61dmin/session',
    '//api/admin/session',
    '/api/admin/campaigns/2027-ni-dian-wo-cha/tally',
    '/api/admin/plan/2027/items',
  ];
  it.each(apis)('API %s answers 401 UNAUTHENTICATED, never data', async (path) => {
    const response = await rawGet(server.port, path);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/登录/) },
    });
  });

  it('API /API/admin/session (another case) reaches no route: 404, never data', async () => {
    const response = await rawGet(server.port, '/API/admin/session');
    expect(response.status).toBe(404);
    for (const marker of STAFF_MARKERS) expect(response.body).not.toContain(marker);
  });

  it('a POST without a session is 401, not an action', async () => {
    const response = await fetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: 'intruder', role: 'admin' }),
    });
    expect(response.status).toBe(401);
    const users = (await (await admin.request('/api/admin/users')).json()) as { users: { username: string }[] };
    expect(users.users.map((user) => user.username)).not.toContain('intruder');
  });
});

describe('roles and CSRF', () => {
  let editor: StaffClient;

  beforeAll(async () => {
    const created = await admin.postJson('/api/admin/users', { username: 'editor1', role: 'editor' });
    expect(created.status).toBe(201);
    const { password } = (await created.json()) as { password: string };
    expect(password.length).toBeGreaterThanOrEqual(12);
    editor = new StaffClient(server.url);
    expect((await editor.login('editor1', password)).status).toBe(303);
  });

  it('an editor is refused user management and the audit log with 403', async () => {
    expect((await editor.request('/api/admin/users')).status).toBe(403);
    expect((await editor.request('/api/admin/audit')).status).toBe(403);
    const create = await editor.postJson('/api/admin/users', { username: 'sneaky', role: 'admin' });
    expect(create.status).toBe(403);
    expect(((await create.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await editor.request('/admin/users/')).status).toBe(403);
    expect((await editor.request('/admin/audit/')).status).toBe(403);
    expect((await editor.request('/admin/')).status).toBe(200);
  });

  it("refuses JSON and form writes without the CSRF token, or with another session's token", async () => {
    const noToken = await admin.request('/api/admin/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nocsrf', role: 'editor' }),
    });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe('CSRF_INVALID');
    const wrongToken = await admin.request('/api/admin/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': editor.csrfToken },
      body: JSON.stringify({ username: 'nocsrf', role: 'editor' }),
    });
    expect(wrongToken.status).toBe(403);
    const form = await admin.request('/admin/users/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'create', username: 'nocsrf', role: 'editor' }).toString(),
    });
    expect(form.status).toBe(403);
    const users = (await (await admin.request('/api/admin/users')).json()) as { users: { username: string }[] };
    expect(users.users.map((user) => user.username)).not.toContain('nocsrf');
  });

  it('refuses a write from another origin even with a valid token', async () => {
    const response = await admin.request('/api/admin/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': admin.csrfToken, origin: 'https://evil.example' },
      body: JSON.stringify({ username: 'crosssite', role: 'editor' }),
    });
    expect(response.status).toBe(403);
  });

  it('records refusals in the audit log', async () => {
    const audit = (await (await admin.request('/api/admin/audit?limit=200')).json()) as {
      entries: { action: string; outcome: string; actor: string | null }[];
    };
    expect(audit.entries.some((entry) => entry.action === 'access.denied' && entry.actor === 'editor1')).toBe(true);
    expect(audit.entries.some((entry) => entry.action === 'csrf.rejected')).toBe(true);
    expect(audit.entries.some((entry) => entry.action === 'user.create' && entry.outcome === 'ok')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(ADMIN_PASSWORD);
  });

  it('logout ends the session on the server', async () => {
    const other = new StaffClient(server.url);
    await other.login('admin', ADMIN_PASSWORD);
    const stolenCookie = other.cookie;
    expect((await other.postJson('/api/admin/logout', {})).status).toBe(204);
    const replay = await fetch(`${server.url}/api/admin/session`, { headers: { cookie: stolenCookie } });
    expect(replay.status).toBe(401);
  });
});

describe('login', () => {
  it('answers the same for an unknown user and a wrong password', async () => {
    const unknown = await new StaffClient(server.url).login('nobody', 'whatever-password');
    const wrong = await new StaffClient(server.url).login('admin', 'wrong-password!!');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const [unknownText, wrongText] = [await unknown.text(), await wrong.text()];
    expect(unknownText).toContain('用户名或密码不正确');
    expect(wrongText).toContain('用户名或密码不正确');
  });

  it('sets an HttpOnly SameSite=Strict cookie and no session id in the page', async () => {
    const response = await fetch(`${server.url}/admin/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ username: 'admin', password: ADMIN_PASSWORD }).toString(),
      redirect: 'manual',
    });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('portal_admin='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
  });

  it('locks an account for a while after 5 failures, even for the right password', async () => {
    const created = await admin.postJson('/api/admin/users', { username: 'victim', role: 'editor' });
    const { password } = (await created.json()) as { password: string };
    for (let attempt = 0; attempt < 4; attempt += 1) {
      expect((await new StaffClient(server.url).login('victim', `wrong-${attempt}-password`)).status).toBe(401);
    }
    const fifth = await new StaffClient(server.url).login('victim', 'wrong-4-password');
    expect(fifth.status).toBe(429);
    expect(await fifth.text()).toContain('暂时锁定');
    const right = await new StaffClient(server.url).login('victim', password);
    expect(right.status).toBe(429);
    // Other accounts from the same address are not locked by it.
    expect((await new StaffClient(server.url).login('admin', ADMIN_PASSWORD)).status).toBe(303);
  });
});

describe('cookie over HTTPS', () => {
  it('uses the __Host- prefix and Secure when SITE_URL is https', async () => {
    const https = await startServer({ env: { ADMIN_PASSWORD, SITE_URL: 'https://portal.example.gov.cn' } });
    try {
      const response = await fetch(`${https.url}/admin/login/`, {
        method: 'POST',
        // Behind the TLS proxy the browser's Origin is SITE_URL's (the only origin trusted once SITE_URL is set).
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://portal.example.gov.cn' },
        body: new URLSearchParams({ username: 'admin', password: ADMIN_PASSWORD }).toString(),
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
      const cookie = response.headers.getSetCookie().find((line) => line.startsWith('__Host-portal_admin='));
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Domain=/i);
    } finally {
      await https.stop();
    }
  });
});

describe('session expiry', () => {
  it('ends a session after the idle timeout', async () => {
    const short = await startServer({ env: { ADMIN_PASSWORD, ADMIN_SESSION_IDLE_MINUTES: '0.05' } });
    try {
      const client = new StaffClient(short.url);
      expect((await client.login('admin', ADMIN_PASSWORD)).status).toBe(303);
      expect((await client.request('/api/admin/session')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      const page = await client.request('/admin/');
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toContain('expired=1');
      // The expired session was deleted on the server: the cookie is worthless from now on.
      const expired = await client.request('/api/admin/session');
      expect(expired.status).toBe(401);
    } finally {
      await short.stop();
    }
  });
});

/** GET with the path sent exactly as written (no URL normalisation by the client). */
async function rawGet(port: number, path: string): Promise<{ status: number; location: string | null; body: string }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, location: (res.headers.location as string | undefined) ?? null, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
