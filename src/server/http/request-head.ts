/**
 * What the edge's checks read of a request — method, URL and headers — so that the same checks serve
 * a web `Request` (Astro's routes) and a node:http request (the entry's direct ballot path, which
 * skips building a web Request: on the busiest write that conversion cost more than the ballot).
 */
import type { IncomingMessage } from 'node:http';

export interface RequestHead {
  readonly method: string;
  /** Absolute, as Astro builds it: the socket's scheme, the Host header, the path. */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/** A node:http request seen as a RequestHead, with the URL the adapter would give its web Request. */
export function nodeRequestHead(req: IncomingMessage): RequestHead {
  const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
  return {
    method: req.method ?? 'GET',
    url: `${encrypted ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`,
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
  };
}
