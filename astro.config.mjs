// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import { createHash } from 'node:crypto';
import { INLINE_SCRIPTS } from './src/lib/csp/inline-scripts.ts';

/** The public address of the portal: used for absolute links in RSS, OpenGraph and QR codes. */
const site = process.env.SITE_URL ?? 'http://localhost:4321';

/**
 * The route cache of the public pages: Astro's memory cache, invalidated by content changes (see
 * src/server/content/page-cache.ts). Room for every announcement page of a 10,000-announcement
 * archive plus the lists, their filtered views, explanations, recalls and feeds; beyond it the least
 * recently read page is dropped and rendered again when asked for (a few milliseconds).
 */
const pageCache = {
  name: 'portal-memory',
  entrypoint: new URL('./src/server/content/page-cache.ts', import.meta.url).pathname,
  config: { max: 12_000 },
};

/** Our own server process (store at start, /api/ first, static files, graceful shutdown). */
const serverEntry = new URL('./src/server/entry/serve.ts', import.meta.url).pathname;

/** A CSP source for an inline script, over the exact text the page carries. */
const sha256Source = (/** @type {string} */ text) =>
  /** @type {`sha256-${string}`} */ (`sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`);

/**
 * One policy for every page, with the hashes of the scripts and styles Astro renders: on-demand pages
 * get it as a header from Astro, prerendered ones from our entry, out of `dist/_headers.json` (the
 * adapter's `staticHeaders`; see src/server/http/static-page-policies.ts). Pagefind compiles its
 * WebAssembly index reader in the browser, hence 'wasm-unsafe-eval' (not 'unsafe-eval'). The
 * inline scripts Astro does not hash are hashed here from ~/lib/csp/inline-scripts.
 * @type {NonNullable<import('astro').AstroUserConfig['security']>['csp']} */
const contentSecurityPolicy = {
  algorithm: 'SHA-256',
  directives: [
    "default-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ],
  scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"], hashes: INLINE_SCRIPTS.map(sha256Source) },
  styleDirective: { resources: ["'self'"] },
};

/**
 * The adapter runs in middleware mode and our entry imports its handler. The server bundle is built
 * from that entry instead of the adapter's, so it keeps the name `dist/server/entry.mjs` and shares
 * one copy of the store and configuration modules with the routes.
 * @returns {import('vite').Plugin}
 */
function portalServerEntry() {
  return {
    name: 'portal:server-entry',
    apply: 'build',
    configEnvironment(name, config) {
      if (name !== 'ssr') return;
      config.build ??= {};
      config.build.rolldownOptions ??= {};
      config.build.rolldownOptions.input = { index: serverEntry };
    },
  };
}

export default defineConfig({
  site,
  output: 'static',
  // Bodies are read by src/server/http/body.ts with each route's own (lower) limit; this is only
  // the adapter's backstop for anything that reads a body another way, just above the largest route
  // limit (staff uploads, STAFF_UPLOAD_BODY_LIMIT_BYTES). staticHeaders: the CSP of prerendered pages
  // goes to dist/_headers.json (sent as a header), not into a <meta>.
  adapter: node({ mode: 'middleware', bodySizeLimit: 22 * 1024 * 1024, staticHeaders: true }),
  integrations: [preact()],
  // src/middleware.ts refuses cross-site writes for every content type (JSON too) with our error shape.
  security: { checkOrigin: false, csp: contentSecurityPolicy },
  cache: { provider: pageCache },
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  // 'jsx' mode eats the spaces between inline elements that Chinese-English mixed text relies on.
  compressHTML: true,
  server: {
    port: Number(process.env.PORT ?? 4321),
    host: process.env.HOST ?? 'localhost',
  },
  vite: {
    plugins: [portalServerEntry()],
    resolve: { alias: { '~': new URL('./src', import.meta.url).pathname } },
  },
});
