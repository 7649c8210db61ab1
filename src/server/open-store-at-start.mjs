// @ts-check
/**
 * Astro integration: makes the built server run `src/server/startup.ts` before it starts listening.
 * Astro loads middleware and routes lazily on the first request, which is too late to refuse a second
 * writer on the same DATA_DIR; so the Node adapter's server entry gets an import of the start-up
 * module prepended (its top-level await finishes before the entry's own code runs `listen`).
 */
import { fileURLToPath } from 'node:url';

const startupModule = fileURLToPath(new URL('./startup.ts', import.meta.url));

/** @returns {import('astro').AstroIntegration} */
export function openStoreAtStart() {
  return {
    name: 'portal:open-store-at-start',
    hooks: {
      'astro:config:setup': ({ updateConfig, command }) => {
        if (command !== 'build') return;
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'portal:open-store-at-start',
                enforce: 'pre',
                transform(code, id) {
                  if (!id.replaceAll('\\', '/').endsWith('@astrojs/node/dist/server.js')) return null;
                  return { code: `import ${JSON.stringify(startupModule)};\n${code}`, map: null };
                },
              },
            ],
          },
        });
      },
    },
  };
}
