/**
 * Outreach events and kiosks from the command line, until the admin pages do it:
 *
 *   npm run event -- create --campaign ID --type school|community|market --name "…" --place "…"
 *                           --date 2027-03-15 --start 2027-03-15T09:00:00+08:00 --end 2027-03-15T12:00:00+08:00
 *   npm run event -- kiosk CODE        creates a kiosk link for the event and prints its URL (once)
 *   npm run event -- list [--campaign ID]
 *   npm run event -- revoke-kiosk KIOSK_ID   stops that kiosk's link from casting (for good)
 *
 * The CLI opens the store exactly as the server does. With the file store it takes DATA_DIR's
 * single-writer lock, so it refuses to run while a server uses the same folder: two processes writing
 * portal.json would lose each other's changes; create events and kiosks before the server starts (or
 * stop it briefly). With DATABASE_URL (PostgreSQL) it runs while the servers run.
 * Output: human-readable lines; the last line of `create` is the code, of `kiosk` the URL.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { campaignSchema } from '../src/lib/voting/campaign-schema';
import { normaliseEventCode } from '../src/lib/voting/event-code';
import { EVENT_TYPE_LABELS, EVENT_TYPES } from '../src/lib/voting/tally';
import { SITE_URL_WARNING, isDefaultSiteUrl } from '../src/lib/site-url';
import { serverConfig } from '../src/server/config';
import { openConfiguredStore, type PortalStore } from '../src/server/store/instance';
import { StoreLockedError } from '../src/server/store/lock';

const USAGE = `用法：
  npm run event -- create --campaign 活动ID --type school|community|market --name "名称" --place "地点" \\
                          --date 2027-03-15 --start 2027-03-15T09:00:00+08:00 --end 2027-03-15T12:00:00+08:00
  npm run event -- kiosk 活动码
  npm run event -- list [--campaign 活动ID]
  npm run event -- revoke-kiosk 设备ID`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const zoned = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$/,
    '须写成带时区的 ISO 时间，如 2027-03-15T09:00:00+08:00',
  );

const createSchema = z
  .object({
    campaign: z.string().min(1, '缺少 --campaign'),
    type: z.enum(EVENT_TYPES, { message: '--type 只能是 school、community 或 market' }),
    name: z.string().trim().min(1, '缺少 --name').max(60),
    place: z.string().trim().min(1, '缺少 --place').max(100),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '--date 须写成 YYYY-MM-DD'),
    start: zoned,
    end: zoned,
  })
  .refine((value) => Date.parse(value.start) < Date.parse(value.end), {
    message: '--end 必须晚于 --start',
    path: ['end'],
  });

function loadCampaign(id: string) {
  const folder = resolve(process.env.CONTENT_DIR ?? 'content', 'campaigns');
  let text: string;
  try {
    text = readFileSync(join(folder, `${id}.json`), 'utf8');
  } catch {
    fail(`没有找到征集活动 ${id}（${folder}/${id}.json）。`);
  }
  return campaignSchema.parse(JSON.parse(text));
}

async function openStore(): Promise<PortalStore> {
  try {
    return await openConfiguredStore('npm run event', (message) => console.warn(message));
  } catch (error) {
    if (error instanceof StoreLockedError)
      fail(`${error.message}\n服务器运行期间请勿用命令行修改数据；请先停止服务器再创建活动或现场投票链接。`);
    throw error;
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      campaign: { type: 'string' },
      type: { type: 'string' },
      name: { type: 'string' },
      place: { type: 'string' },
      date: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
    },
  });
  const siteUrl = serverConfig().SITE_URL.replace(/\/$/, '');
  // The links printed below go onto posters and kiosks: dead ones must be noticed before printing.
  if (isDefaultSiteUrl(siteUrl)) console.error(`警告：${SITE_URL_WARNING}（当前 ${siteUrl}）`);

  if (command === 'create') {
    const parsed = createSchema.safeParse(values);
    if (!parsed.success) fail(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n\n${USAGE}`);
    const input = parsed.data;
    const campaign = loadCampaign(input.campaign);
    const store = await openStore();
    try {
      const event = await store.events.create({
        campaignId: campaign.id,
        type: input.type,
        name: input.name,
        place: input.place,
        date: input.date,
        activeFrom: input.start,
        activeUntil: input.end,
      });
      console.log(`已创建${EVENT_TYPE_LABELS[event.type]}活动「${event.name}」（${event.place}，${event.date}）`);
      console.log(`投票时段：${event.activeFrom} 至 ${event.activeUntil}`);
      console.log(`投票链接：${siteUrl}/campaigns/${campaign.id}/?e=${event.code}`);
      console.log(`活动码：`);
      console.log(event.code);
    } finally {
      await store.close();
    }
    return;
  }

  if (command === 'kiosk') {
    const code = normaliseEventCode(positionals[0] ?? '');
    if (!code) fail(`请给出 6 位活动码。\n\n${USAGE}`);
    const store = await openStore();
    try {
      const event = await store.events.get(code);
      if (!event) fail(`没有活动码为 ${code} 的活动。`);
      const { kiosk, token } = await store.kiosks.create(code);
      console.log(`已为「${event.name}」创建现场投票设备 ${kiosk.id}。链接只显示这一次，请在该设备上打开并妥善保管：`);
      console.log(`${siteUrl}/campaigns/${event.campaignId}/?e=${code}&kiosk=${token}`);
    } finally {
      await store.close();
    }
    return;
  }

  if (command === 'revoke-kiosk') {
    const kioskId = z
      .string()
      .regex(/^k_[A-Za-z0-9_-]{1,32}$/)
      .safeParse(positionals[0] ?? '');
    if (!kioskId.success) fail(`请给出设备 ID（如 k_AbC123xY）。\n\n${USAGE}`);
    const store = await openStore();
    try {
      const kiosk = await store.kiosks.revoke(kioskId.data);
      if (!kiosk) fail(`没有 ID 为 ${kioskId.data} 的现场投票设备。`);
      await store.audit.append({
        actor: 'cli',
        action: 'kiosk.revoke',
        target: kiosk.id,
        outcome: 'ok',
        detail: `活动码 ${kiosk.eventCode}`,
      });
      console.log(
        `现场投票设备 ${kiosk.id}（活动码 ${kiosk.eventCode}）已于 ${kiosk.revokedAt} 停用，其链接不能再投票。`,
      );
    } finally {
      await store.close();
    }
    return;
  }

  if (command === 'list') {
    const store = await openStore();
    try {
      const events = await store.events.list(values.campaign);
      if (events.length === 0) console.log('还没有现场活动。');
      for (const event of events) {
        console.log(
          `${event.code}\t${event.campaignId}\t${EVENT_TYPE_LABELS[event.type]}\t${event.name}\t${event.place}\t${event.activeFrom} — ${event.activeUntil}`,
        );
      }
    } finally {
      await store.close();
    }
    return;
  }

  fail(USAGE);
}

await main();
