// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import { apiSkipsStaticFiles } from './src/server/api-skips-static-files.mjs';
import { openStoreAtStart } from './src/server/open-store-at-start.mjs';

/** The public address of the portal: used for absolute links in RSS, OpenGraph and QR codes. */
const site = process.env.SITE_URL ?? 'http://localhost:4321';

export default defineConfig({
  site,
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact(), openStoreAtStart(), apiSkipsStaticFiles()],
  // src/middleware.ts refuses cross-site writes for every content type (JSON too) with our error shape.
  security: { checkOrigin: false },
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  // 'jsx' mode eats the spaces between inline elements that Chinese-English mixed text relies on.
  compressHTML: true,
  server: {
    port: Number(process.env.PORT ?? 4321),
    host: process.env.HOST ?? 'localhost',
  },
  vite: {
    resolve: { alias: { '~': new URL('./src', import.meta.url).pathname } },
  },
});
