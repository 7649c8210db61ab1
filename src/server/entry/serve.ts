/**
 * The portal's server process (built to `dist/server/entry.mjs`; see astro.config.mjs). Astro's Node
 * adapter runs in middleware mode; this entry owns the socket:
 *
 * - the store is opened, and the public content catalogue built, before the server listens; a store
 *   that refuses to open stops the start;
 * - the publishing scheduler (定时发布) runs beside it and is stopped before the store is closed;
 * - `/api/` goes straight to Astro, never through a static-file lookup, except the ballot POST and the
 *   tally read, which are answered without Astro's page pipeline by the same endpoint functions;
 * - `dist/client` is served from an in-memory file list (no path outside it can be named), with the
 *   build's `.br`/`.gz` siblings when the client accepts them and cache lifetimes by fingerprint;
 * - `/pagefind/` comes from this process's live search index (server/search/live-index), and from the
 *   build's index in dist/client until the first live build completes;
 * - dynamic HTML and JSON are compressed (never the event streams);
 * - header/request timeouts and a connection cap keep slow or greedy clients from holding the sockets;
 * - SIGTERM/SIGINT stop accepting, end the live-tally streams, let requests in flight finish (within
 *   SHUTDOWN_GRACE_MS), then close the store (which flushes the ballot log) and exit 0.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import sirv from 'sirv';
import { handler as astroHandler, options as adapterOptions } from '@astrojs/node/server.js';
import { serverConfig } from '~/server/config';
import { DEFAULT_SITE_URL, SITE_URL_WARNING, isDefaultSiteUrl, siteUrlStartRefusal } from '~/lib/site-url';
import { openStoreAtStart } from '~/server/startup';
import { publishingService } from '~/server/publishing/instance';
import { startPublishingScheduler } from '~/server/publishing/scheduler';
import { cacheControlFor } from '~/server/http/cache-policy';
import { forLog } from '~/server/http/log';
import { openStreams } from '~/server/http/open-streams';
import { applySecurityHeaders } from '~/server/http/security-headers';
import { loadStaticPagePolicies } from '~/server/http/static-page-policies';
import { methodNotAllowedPage } from '~/server/http/method-not-allowed';
import { routePatterns } from '~/paths';
import { crossSiteRefusal } from '~/server/http/cross-site';
import { readNodeBodyWithLimit } from '~/server/http/body';
import { writeJsonAnswer, type JsonAnswer } from '~/server/http/json';
import { nodeRequestHead } from '~/server/http/request-head';
import { castBallotOverHttp } from '~/server/voting/cast-ballot-http';
import { readTallyOverHttp } from '~/server/voting/tally-http';
import { LiveSearchIndex } from '~/server/search/live-index';
import { currentCatalogue, onCatalogueChange } from '~/server/content/catalogue';

const PAGE_METHODS = new Set(['GET', 'HEAD', 'POST']);

const staticPagePolicies = loadStaticPagePolicies(new URL('../', adapterOptions.client));
/**
 * Pages answered by Astro that bring no policy of their own: the prerendered 404 page, which the
 * adapter reads from disk for unknown paths. On-demand pages replace this header with their own.
 */
const notFoundPagePolicy = staticPagePolicies.forPath('/404');

const staticFiles = sirv(fileURLToPath(adapterOptions.client), {
  dev: false,
  etag: true,
  brotli: true,
  gzip: true,
  setHeaders: (res, pathname) => {
    res.setHeader('cache-control', cacheControlFor(pathname));
    const policy = staticPagePolicies.forPath(pathname);
    if (policy) res.setHeader('content-security-policy', policy);
  },
});

/** Live Pagefind builds (DATA_DIR/search); until the first one completes, dist/client/pagefind answers. */
const liveSearch = new LiveSearchIndex({
  root: join(serverConfig().DATA_DIR, 'search'),
  siteDir: fileURLToPath(adapterOptions.client),
});
const SEARCH_INDEX_PATH = /^\/pagefind\//;

type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Brotli or gzip for dynamic HTML and JSON; event streams are never buffered by a compressor. */
const compressDynamic: NodeMiddleware = compression({
  filter: (req, res) =>
    !String(res.getHeader('content-type') ?? '').startsWith('text/event-stream') && compression.filter(req, res),
}) as unknown as NodeMiddleware; // typed for Express, but it only uses node:http's request and response

function renderWithAstro(req: IncomingMessage, res: ServerResponse): void {
  Promise.resolve(astroHandler(req, res)).catch((error: unknown) => {
    console.error(`[server] ${req.method} ${forLog(req.url)}:`, error);
    if (!res.headersSent) res.writeHead(500).end();
  });
}

/**
 * POST /api/campaigns/<plain id>/ballots (trailing slash and query allowed, as Astro's routing does).
 * Anything else about ballots, odd ids included, goes through Astro to the same function.
 */
const BALLOT_POST_PATH = /^\/api\/campaigns\/([a-z0-9-]{1,100})\/ballots\/?(?:\?.*)?$/;
/** GET/HEAD /api/campaigns/<plain id>/tally, the busiest read (projectors and phones poll it). */
const TALLY_READ_PATH = /^\/api\/campaigns\/([a-z0-9-]{1,100})\/tally\/?(?:\?.*)?$/;

/**
 * The busiest write, answered without Astro's page pipeline (route matching, module loading, render
 * context) and without building a web Request and Response: profiling the ballot POST under load
 * showed each costing more CPU than the ballot itself. The very same edge and endpoint functions
 * answer it: src/middleware.ts's cross-site refusal, then the route's castBallotOverHttp.
 */
function castBallotDirectly(req: IncomingMessage, res: ServerResponse, campaignId: string): void {
  const head = nodeRequestHead(req);
  answerDirectly(
    req,
    res,
    crossSiteRefusal(head) ??
      castBallotOverHttp(
        head,
        (limit) => readNodeBodyWithLimit(req, limit),
        campaignId,
        req.socket.remoteAddress ?? '',
      ),
  );
}

/**
 * How long the rest of a refused body (too large) is read and discarded before its connection closes.
 * Closing with unread bytes makes the kernel reset the connection, and a client still sending then
 * loses the answer (EPIPE) instead of reading 413.
 */
const LINGER_MS = 2000;

function requestEnded(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  req.resume();
  return new Promise((done) => {
    const timer = setTimeout(done, LINGER_MS);
    const finish = () => {
      clearTimeout(timer);
      done();
    };
    req.once('end', finish).once('close', finish).once('error', finish);
  });
}

/** Writes an answer of the direct paths (node:http omits the body of a HEAD answer by itself). */
function answerDirectly(req: IncomingMessage, res: ServerResponse, answer: JsonAnswer | Promise<JsonAnswer>): void {
  Promise.resolve(answer)
    .then((ready) => writeJsonAnswer(ready, res, ready.headers.connection === 'close' ? requestEnded(req) : undefined))
    .catch((error: unknown) => {
      console.error(`[server] ${req.method} ${forLog(req.url)}:`, error);
      if (!res.headersSent) res.writeHead(500).end();
    });
}

let shuttingDown = false;

function dispatch(req: IncomingMessage, res: ServerResponse): void {
  applySecurityHeaders(res);
  // While shutting down, each answer closes its connection so that keep-alive sockets drain.
  if (shuttingDown) res.setHeader('connection', 'close');
  const method = req.method ?? 'GET';
  const readsOnly = method === 'GET' || method === 'HEAD';
  // Answers to writes are a few hundred bytes: not worth a compressor's setup on the ballot path.
  const render = readsOnly
    ? () => compressDynamic(req, res, () => renderWithAstro(req, res))
    : () => renderWithAstro(req, res);
  if (routePatterns.api.test(req.url ?? '/')) {
    const ballot = method === 'POST' ? BALLOT_POST_PATH.exec(req.url ?? '') : null;
    if (ballot) return castBallotDirectly(req, res, ballot[1] as string);
    const tally = readsOnly ? TALLY_READ_PATH.exec(req.url ?? '') : null;
    if (tally) return compressDynamic(req, res, () => answerDirectly(req, res, readTallyOverHttp(tally[1] as string)));
    return render();
  }
  if (!PAGE_METHODS.has(method)) return methodNotAllowedPage(res, [...PAGE_METHODS]);
  if (notFoundPagePolicy) res.setHeader('content-security-policy', notFoundPagePolicy);
  if (!readsOnly) return render();
  if (SEARCH_INDEX_PATH.test(req.url ?? '/')) return liveSearch.serve(req, res, () => staticFiles(req, res, render));
  staticFiles(req, res, render);
}

async function main(): Promise<void> {
  const config = serverConfig();
  const defaultHost =
    typeof adapterOptions.host === 'string' ? adapterOptions.host : adapterOptions.host ? '0.0.0.0' : 'localhost';
  const listenHost = process.env.HOST ?? defaultHost;
  // Reachable from other machines, links to localhost would be dead on every poster and in every feed.
  const refusal = siteUrlStartRefusal(listenHost, config.SITE_URL, import.meta.env.SITE ?? DEFAULT_SITE_URL);
  if (refusal) {
    console.error(`[server] 拒绝启动 / refusing to start: ${refusal}`);
    process.exit(1);
  }
  if (isDefaultSiteUrl(config.SITE_URL)) console.warn(`[server] ${SITE_URL_WARNING}`);
  const store = await openStoreAtStart();
  const scheduler = startPublishingScheduler(publishingService);
  // The public catalogue is built before the first reader arrives, so no page waits for it.
  const catalogue = await currentCatalogue();
  console.log(
    `[content] 公开内容版本 ${catalogue.version}：公告 ${catalogue.announcements.length} 条，` +
      `解读 ${catalogue.explanations.length} 篇，召回 ${catalogue.recalls.length} 条`,
  );
  // Search follows the catalogue: each one put in service is indexed (the index coalesces bursts), and
  // this first one now, in the background, since the build's index knows only the sample content.
  onCatalogueChange((next) => liveSearch.update(next));
  liveSearch.update(catalogue);

  const server = createServer(
    {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      // Node checks those timeouts only this often (30 s by default, longer than the timeouts themselves).
      connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS),
    },
    dispatch,
  );
  server.maxConnections = config.HTTP_MAX_CONNECTIONS;

  const shutDown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`[server] 收到 ${signal}：不再接受新连接，处理完进行中的请求后退出`);
    // net.Server's close stops listening only: http.Server's would also drop connections that are
    // accepted but whose request has not been read yet (on a busy machine that can take a while),
    // leaving their clients unanswered. Each answer now closes its connection (see dispatch); idle
    // keep-alive connections end at their keep-alive timeout, and all are cut at the grace limit.
    const closed = new Promise<void>((done) => NetServer.prototype.close.call(server, () => done()));
    openStreams.endAll();
    const cut = setTimeout(() => {
      console.warn(`[server] ${config.SHUTDOWN_GRACE_MS} ms 内仍有请求未完成，强制断开`);
      server.closeAllConnections();
    }, config.SHUTDOWN_GRACE_MS);
    closed
      .then(() => scheduler.stop())
      .then(() => liveSearch.close())
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('[store] 关闭时出错', error);
          process.exit(1);
        },
      )
      .finally(() => clearTimeout(cut));
  };
  process.once('SIGTERM', shutDown);
  process.once('SIGINT', shutDown);

  const port = Number(process.env.PORT ?? adapterOptions.port);
  server.listen(port, listenHost, () => console.log(`[server] 正在监听 http://${listenHost}:${port}`));
}

main().catch((error: unknown) => {
  console.error(`[store] 无法启动：${(error as Error).message}`);
  process.exit(1);
});
