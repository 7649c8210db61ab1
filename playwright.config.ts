import { defineConfig, devices } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_CLOCK_ENV } from './tests/support/clock';

/** Playwright cannot download browsers here: use Debian's Chromium when it is installed. */
const systemChromium = '/usr/bin/chromium';
const port = Number(process.env.E2E_PORT ?? 4327);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'portal-e2e-'));

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    launchOptions: {
      ...(existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined } },
    {
      name: 'phone',
      use: {
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        userAgent: devices['Pixel 5'].userAgent,
      },
    },
  ],
  webServer: {
    // The real built server, on its own data folder; `npm run build` runs before this in `npm test`.
    command: 'node dist/server/entry.mjs',
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      SITE_URL: baseURL,
      NODE_ENV: 'production',
      // A fixed date inside the sample campaign's window, whatever the machine's date is.
      ...TEST_CLOCK_ENV,
      // Specs vote as fast as a robot; tests/api/voting-api.test.ts checks the minimum cookie age.
      DEVICE_COOKIE_MIN_AGE_SECONDS: '0',
      // The first admin's password on the fresh data folder (tests/e2e/admin-support.ts logs in with it).
      ADMIN_PASSWORD: 'e2e-staff-passphrase-2027',
    },
  },
});
