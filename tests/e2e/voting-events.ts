/**
 * A second real server for the outreach-event tests (poster, projector, kiosk). Events and kiosk
 * links are made with the project's own CLI (`npm run event`), which takes the data folder's writer
 * lock and so must run before a server opens that folder: each Playwright worker therefore gets a
 * fresh folder, creates an event and a kiosk in it, and only then starts the built server on it.
 */
import { test as base } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignSchema, campaignStatus } from '../../src/lib/voting/campaign-schema';
import { testClock } from '../support/clock';
import { projectRoot, startServer } from '../support/server';

export interface EventServer {
  url: string;
  campaignId: string;
  event: { code: string; name: string; place: string };
  /** Path and query of the kiosk link (`/campaigns/<id>/?e=CODE&kiosk=TOKEN`). */
  kioskPath: string;
}

function openCampaignId(): string {
  const folder = join(projectRoot, 'content', 'campaigns');
  const now = testClock.now();
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.json'))) {
    const campaign = campaignSchema.parse(JSON.parse(readFileSync(join(folder, file), 'utf8')));
    if (campaignStatus(campaign, now) === 'open') return campaign.id;
  }
  throw new Error('content/campaigns has no open campaign');
}

/** Runs `npm run event -- …` on a data folder and returns its last output line (the CLI's documented result). */
function eventCli(dataDir: string, args: string[]): string {
  const run = spawnSync('npm', ['run', '--silent', 'event', '--', ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`npm run event -- ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  return lines[lines.length - 1]?.trim() ?? '';
}

/** ISO time with offset and without milliseconds, as the CLI expects. */
const isoSeconds = (time: number): string => new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const test = base.extend<object, { eventServer: EventServer }>({
  eventServer: [
    async ({}, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'portal-e2e-events-'));
      const campaignId = openCampaignId();
      const now = testClock.now().getTime();
      const event = { name: '“你点我查”进校园（示例小学）', place: '示例小学礼堂' };
      const code = eventCli(dataDir, [
        'create',
        '--campaign',
        campaignId,
        '--type',
        'school',
        '--name',
        event.name,
        '--place',
        event.place,
        '--date',
        isoSeconds(now).slice(0, 10),
        '--start',
        isoSeconds(now - 3_600_000),
        '--end',
        isoSeconds(now + 86_400_000),
      ]);
      const kioskUrl = new URL(eventCli(dataDir, ['kiosk', code]));
      const server = await startServer({ dataDir });
      try {
        await use({
          url: server.url,
          campaignId,
          event: { code, ...event },
          kioskPath: kioskUrl.pathname + kioskUrl.search,
        });
      } finally {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});
