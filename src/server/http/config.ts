/**
 * Environment variables of the HTTP edge (merged into `src/server/config.ts`): timeouts and caps that
 * keep one client from holding the server's sockets, so that everybody else is still answered.
 */
import { z } from 'zod';

const positiveInteger = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const httpConfigShape = {
  /** Live-tally streams (SSE) one client address may hold open: a projector and a few phones. */
  SSE_STREAMS_PER_ADDRESS: positiveInteger(8),
  /** Live-tally streams of the whole server. */
  SSE_STREAMS_TOTAL: positiveInteger(500),
  /** Open connections of the whole server (idle keep-alive ones included); above it new ones are dropped. */
  HTTP_MAX_CONNECTIONS: positiveInteger(2000),
  /** Time a client has to send the request headers. */
  HTTP_HEADERS_TIMEOUT_MS: positiveInteger(10_000),
  /** Time a client has to send the whole request (a trickled body is cut off after it). */
  HTTP_REQUEST_TIMEOUT_MS: positiveInteger(30_000),
  /** On SIGTERM/SIGINT, how long requests in flight may take to finish before their connections are cut. */
  SHUTDOWN_GRACE_MS: positiveInteger(10_000),
};
