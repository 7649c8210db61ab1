/**
 * Synchronizer tokens against cross-site request forgery. The token is an HMAC of the session id
 * (which only the server and the cookie know), so nothing extra is stored and a token from one
 * session is worthless in another. Compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const CSRF_FIELD = 'csrfToken';
export const CSRF_HEADER = 'x-csrf-token';

export function csrfTokenFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('portal-admin-csrf-v1').digest('base64url');
}

export function isValidCsrfToken(sessionId: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 200) return false;
  const expected = Buffer.from(csrfTokenFor(sessionId));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
