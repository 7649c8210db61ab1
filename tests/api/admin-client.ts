/** A tiny staff client for the admin API tests: one cookie jar, login through the real form. */
export const ADMIN_PASSWORD = 'correct-horse-battery-staple';

export class StaffClient {
  cookie = '';
  csrfToken = '';

  constructor(readonly baseUrl: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    // Node's fetch sends Sec-Fetch-Mode like a browser, so it must also send Origin like one.
    if (!headers.has('origin')) headers.set('origin', this.baseUrl);
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (name.includes('portal_admin'))
        this.cookie = value && !/max-age=0|expires=thu, 01 jan 1970/i.test(line) ? `${name}=${value}` : '';
    }
    return response;
  }

  /** Submits the login form; returns its response (303 on success). */
  async login(username: string, password: string): Promise<Response> {
    const response = await this.request('/admin/login/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    if (response.status === 303) {
      const session = await this.request('/api/admin/session');
      this.csrfToken = ((await session.json()) as { csrfToken: string }).csrfToken;
    }
    return response;
  }

  postJson(path: string, body: unknown, method = 'POST'): Promise<Response> {
    return this.request(path, {
      method,
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrfToken },
      body: JSON.stringify(body),
    });
  }

  postForm(path: string, fields: Record<string, string | string[]>): Promise<Response> {
    const body = new URLSearchParams();
    body.set('csrfToken', this.csrfToken);
    for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}
