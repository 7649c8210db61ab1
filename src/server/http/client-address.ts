/**
 * The client address of a request, for every per-address limit of the portal (ballots, assistant
 * questions, staff login throttling): one rule, one TRUSTED_PROXIES list (parsed in `../config.ts`).
 */
import { resolveClientAddress } from './trusted-proxies';
import { serverConfig } from '~/server/config';
import type { RequestHead } from './request-head';

/** The client address per the trusted-proxy rule; `socketAddress` is Astro's `clientAddress`. */
export function clientAddressOf(request: RequestHead, socketAddress: string): string {
  return resolveClientAddress(socketAddress, request.headers.get('x-forwarded-for'), serverConfig().TRUSTED_PROXIES);
}
