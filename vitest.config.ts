import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The same `~` → src alias as astro.config.mjs, for the src modules the unit tests import.
  resolve: { alias: { '~': new URL('./src', import.meta.url).pathname } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        // API tests talk to the real built server (`npm run build` first); see tests/support/server.ts.
        extends: true,
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
