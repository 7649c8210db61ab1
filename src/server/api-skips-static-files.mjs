// @ts-check
/**
 * Astro integration: requests under /api/ go straight to the server routes instead of first asking
 * the Node adapter's static handler to look for a file in dist/client (an lstat and a stat that fail
 * with ENOENT on every API request: about 15 % of a ballot's CPU time, and the stat waits in libuv's
 * thread pool behind the ballot log's fdatasync). The adapter has no option for this, so the built
 * standalone handler is rewritten; the build fails if the adapter's code no longer matches, and
 * also if anything is ever prerendered under dist/client/api (it would no longer be served).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DISPATCH = 'staticHandler(req, res, () => appHandler(req, res));';
const API_FIRST = 'if (req.url?.startsWith("/api/")) appHandler(req, res); else staticHandler(req, res, () => appHandler(req, res));';

/** @returns {import('astro').AstroIntegration} */
export function apiSkipsStaticFiles() {
  return {
    name: 'portal:api-skips-static-files',
    hooks: {
      'astro:config:setup': ({ updateConfig, command }) => {
        if (command !== 'build') return;
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'portal:api-skips-static-files',
                enforce: 'pre',
                transform(code, id) {
                  if (!id.replaceAll('\\', '/').endsWith('@astrojs/node/dist/standalone.js')) return null;
                  if (code.split(DISPATCH).length !== 2) {
                    throw new Error(`portal:api-skips-static-files: @astrojs/node/dist/standalone.js no longer contains \`${DISPATCH}\` once; update src/server/api-skips-static-files.mjs`);
                  }
                  return { code: code.replace(DISPATCH, API_FIRST), map: null };
                },
              },
            ],
          },
        });
      },
      'astro:build:done': ({ dir }) => {
        if (existsSync(fileURLToPath(new URL('api', dir)))) {
          throw new Error('portal:api-skips-static-files: files were prerendered under /api/, but /api/ requests skip static files');
        }
      },
    },
  };
}
