/**
 * The voting API on the real built server: every error code, one ballot per device (also when twenty
 * race), the no-JS form handler, cross-site refusal, kiosks and events, the live tally stream, and
 * what ends up on disk.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '../support/clock';
import { startServer, type RunningServer } from '../support/server';
import { CLOSED, eventCli, lastLine, newDevice, OPEN, shanghaiTime, tally, UPCOMING, vote } from './voting-support';
import type { Json } from '../support/json';

/** Receipt ids read aloud: no 0/O or 1/I/l, three groups of four. */
const RECEIPT_ID = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

let server: RunningServer;
let url: string;
let activeCode: string;
let expiredCode: string;
let kioskToken: string;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'voting-api-'));
  const create = (type: string, start: string, end: string) =>
    lastLine(
      eventCli(dataDir, [
        'create',
        '--campaign',
        OPEN,
        '--type',
        type,
        '--name',
        '进校园（示例小学）',
        '--place',
        '示例小学礼堂',
        '--date',
        start.slice(0, 10),
        '--start',
        start,
        '--end',
        end,
      ]),
    );
  activeCode = create('school', shanghaiTime(-60), shanghaiTime(600));
  expiredCode = create('community', shanghaiTime(-600), shanghaiTime(-60));
  const kioskUrl = new URL(lastLine(eventCli(dataDir, ['kiosk', activeCode])));
  kioskToken = kioskUrl.searchParams.get('kiosk') ?? '';
  server = await startServer({ dataDir, env: { KIOSK_MIN_INTERVAL_SECONDS: '2' } });
  url = server.url;
});

afterAll(async () => {
  await server?.stop();
});

describe('campaigns', () => {
  it('lists campaigns with their status', async () => {
    const body = await (await fetch(`${url}/api/campaigns`)).json();
    const byId = Object.fromEntries(body.campaigns.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(byId).toMatchObject({ [OPEN]: 'open', [CLOSED]: 'closed', [UPCOMING]: 'upcoming' });
  });

  it('describes a campaign and issues an HttpOnly, SameSite=Lax device cookie once', async () => {
    const response = await fetch(`${url}/api/campaigns/${OPEN}`);
    const body = await response.json();
    expect(body).toMatchObject({ id: OPEN, status: 'open', maxChoices: 3, tallyPublic: true });
    expect(body.candidates.length).toBeGreaterThanOrEqual(10);
    expect(body.districts).toContain('临港新片区');
    expect(body.writeInLimits).toEqual({
      maxWriteIns: 3,
      productMaxLength: 40,
      issueMaxLength: 200,
      venueMaxLength: 100,
    });
    expect(body.event).toBeUndefined();
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const again = await fetch(`${url}/api/campaigns/${OPEN}`, { headers: { cookie: cookie.split(';')[0] as string } });
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('adds the event for ?e= and the kiosk pacing for a kiosk token', async () => {
    const body = await (await fetch(`${url}/api/campaigns/${OPEN}?e=${activeCode.toLowerCase()}`)).json();
    expect(body.event).toEqual({
      code: activeCode,
      name: '进校园（示例小学）',
      type: 'school',
      place: '示例小学礼堂',
      date: expect.any(String),
      active: true,
    });
    const kiosk = await (
      await fetch(`${url}/api/campaigns/${OPEN}`, { headers: { 'x-kiosk-token': kioskToken } })
    ).json();
    expect(kiosk.kiosk).toEqual({ minIntervalSeconds: 2 });
    expect(kiosk.event.code).toBe(activeCode);
    const notKiosk = await (
      await fetch(`${url}/api/campaigns/${OPEN}`, { headers: { 'x-kiosk-token': 'forged' } })
    ).json();
    expect(notKiosk.kiosk).toBeUndefined();
  });

  it('answers 404 NOT_FOUND for an unknown campaign', async () => {
    const response = await fetch(`${url}/api/campaigns/no-such-campaign`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('NOT_FOUND');
    expect((await vote(url, { choices: ['tou-kui'] }, { campaign: 'no-such-campaign' })).status).toBe(404);
  });

  it('shows an event’s public fields', async () => {
    const response = await fetch(`${url}/api/events/${activeCode}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ code: activeCode, type: 'school', active: true, campaignId: OPEN });
    expect(JSON.stringify(body)).not.toMatch(/kiosk|token/i);
    expect((await fetch(`${url}/api/events/ZZZZZZ`)).status).toBe(404);
  });
});

describe('ballot validation', () => {
  it.each([
    [{ choices: ['no-such-product'] }, 400, 'UNKNOWN_CANDIDATE'],
    [{ choices: ['tou-kui', 'yan-jing', 'dian-re-shui-hu', 'chuang-shang-yong-pin'] }, 400, 'TOO_MANY_CHOICES'],
    [{ choices: [], writeIns: [] }, 400, 'EMPTY_BALLOT'],
    [{ writeIns: [{ product: '', issue: '漏电' }] }, 400, 'INVALID_WRITE_IN'],
    [{ writeIns: [{ product: '儿童水杯', issue: '异'.repeat(201) }] }, 400, 'INVALID_WRITE_IN'],
    [{ writeIns: [1, 2, 3, 4].map(() => ({ product: '水杯', issue: '有异味' })) }, 400, 'INVALID_WRITE_IN'],
    [{ choices: ['tou-kui'], district: '朝阳区' }, 400, 'UNKNOWN_DISTRICT'],
    [{ choices: ['tou-kui'], event: 'ZZZZZZ' }, 400, 'UNKNOWN_EVENT'],
  ])('%j → %i %s', async (body, status, code) => {
    const answer = await vote(url, body, { cookie: await newDevice(url) });
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(answer.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses closed and not-yet-open campaigns with 403', async () => {
    const closed = await vote(url, { choices: ['tou-kui'] }, { campaign: CLOSED });
    expect([closed.status, closed.body.error.code]).toEqual([403, 'CAMPAIGN_CLOSED']);
    const upcoming = await vote(url, { choices: ['tou-kui'] }, { campaign: UPCOMING });
    expect([upcoming.status, upcoming.body.error.code]).toEqual([403, 'CAMPAIGN_NOT_OPEN']);
  });

  it('refuses an event outside its window with 403 EVENT_NOT_ACTIVE', async () => {
    const answer = await vote(url, { choices: ['tou-kui'], event: expiredCode }, { cookie: await newDevice(url) });
    expect([answer.status, answer.body.error.code]).toEqual([403, 'EVENT_NOT_ACTIVE']);
  });

  it('answers 400 INVALID_JSON, 415 for other media types, 413 for big bodies (also without Content-Length)', async () => {
    const cookie = await newDevice(url);
    const totalBefore = (await tally(url)).total;
    const broken = await vote(url, '{"choices": [', { cookie });
    expect([broken.status, broken.body.error.code]).toEqual([400, 'INVALID_JSON']);

    const text = await fetch(`${url}/api/campaigns/${OPEN}/ballots`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: url, cookie },
      body: '{}',
    });
    expect(text.status).toBe(415);
    expect((await text.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const big = await vote(url, { choices: ['tou-kui'], padding: 'x'.repeat(17 * 1024) }, { cookie });
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);

    const chunks = [
      new TextEncoder().encode(`{"choices":["tou-kui"],"padding":"`),
      new TextEncoder().encode('y'.repeat(20 * 1024)),
      new TextEncoder().encode('"}'),
    ];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await fetch(`${url}/api/campaigns/${OPEN}/ballots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url, cookie },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    // Nothing of the refused ballots was counted or stored: the tally is unchanged and this device can still vote.
    expect((await tally(url)).total).toBe(totalBefore);
    expect((await vote(url, { choices: ['tou-kui'] }, { cookie })).status).toBe(201);
  });
});

describe('one ballot per device', () => {
  it('answers 409 ALREADY_VOTED with the first receipt', async () => {
    const cookie = await newDevice(url);
    const first = await vote(url, { choices: ['dian-xian-dian-lan'], district: '浦东新区' }, { cookie });
    expect(first.status).toBe(201);
    expect(first.body.ballotId).toMatch(RECEIPT_ID);
    expect(
      first.body.tally.candidates.find((c: { id: string }) => c.id === 'dian-xian-dian-lan').votes,
    ).toBeGreaterThanOrEqual(1);
    const second = await vote(url, { choices: ['yan-jing'] }, { cookie });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ ballotId: first.body.ballotId, error: { code: 'ALREADY_VOTED' } });
  });

  it('stores exactly one of twenty identical ballots sent at the same instant', async () => {
    const cookie = await newDevice(url);
    const before = await tally(url);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => vote(url, { choices: ['yi-dong-dian-yuan'] }, { cookie })),
    );
    const created = answers.filter((answer) => answer.status === 201);
    expect(created).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status === 409);
    expect(refused).toHaveLength(19);
    for (const answer of refused) expect(answer.body.ballotId).toBe(created[0]?.body.ballotId);
    const after = await tally(url);
    expect(after.total - before.total).toBe(1);
    const votes = (t: Json) => t.candidates.find((c: { id: string }) => c.id === 'yi-dong-dian-yuan').votes;
    expect(votes(after) - votes(before)).toBe(1);
  });
});

describe('tally', () => {
  it('counts candidates only: write-ins stay private and nothing user-written appears', async () => {
    const marker = '<script>alert("示例")</script>';
    const answer = await vote(
      url,
      { writeIns: [{ product: marker, issue: '有异味' }] },
      { cookie: await newDevice(url) },
    );
    expect(answer.status).toBe(201);
    const response = await fetch(`${url}/api/campaigns/${OPEN}/tally`);
    const text = await response.text();
    expect(text).not.toContain('script');
    // events: per-event counts keyed by the server-made event codes; setAside: ballots staff took out.
    expect(Object.keys(JSON.parse(text)).sort()).toEqual(['candidates', 'events', 'setAside', 'total', 'updatedAt']);
  });

  it('keeps a private tally private while not public, and publishes it after the close', async () => {
    const hidden = await fetch(`${url}/api/campaigns/${UPCOMING}/tally`);
    expect(hidden.status).toBe(403);
    expect((await hidden.json()).error.code).toBe('TALLY_NOT_PUBLIC');
    const streamHidden = await fetch(`${url}/api/campaigns/${UPCOMING}/tally/stream`);
    expect(streamHidden.status).toBe(403);
    const closed = await fetch(`${url}/api/campaigns/${CLOSED}/tally`);
    expect(closed.status).toBe(200);
    expect((await closed.json()).total).toBe(0);
  });

  it('streams the tally as server-sent events and pushes new ballots', async () => {
    const controller = new AbortController();
    const response = await fetch(`${url}/api/campaigns/${OPEN}/tally/stream`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextTally = async (): Promise<Json> => {
      for (;;) {
        const match = /event: tally\ndata: (.*)\n\n/.exec(buffer);
        if (match) {
          buffer = buffer.slice((match.index ?? 0) + match[0].length);
          return JSON.parse(match[1] as string);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const first = await nextTally();
    expect((await vote(url, { choices: ['ran-qi-qi-ju'] }, { cookie: await newDevice(url) })).status).toBe(201);
    const second = await nextTally();
    expect(second.total).toBe(first.total + 1);
    controller.abort();
  });
});

describe('cross-site requests', () => {
  it('refuses a JSON POST from another origin or with cross-site fetch metadata', async () => {
    const cookie = await newDevice(url);
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: url, 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' },
    ]) {
      const answer = await vote(url, { choices: ['tou-kui'] }, { cookie, headers });
      expect([answer.status, answer.body.error?.code]).toEqual([403, 'CROSS_SITE']);
    }
    // A browser always sends Origin on a POST; Node's fetch sends Sec-Fetch-Mode but no Origin.
    const withoutOrigin = await fetch(`${url}/api/campaigns/${OPEN}/ballots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ choices: ['tou-kui'] }),
    });
    expect([withoutOrigin.status, (await withoutOrigin.json()).error.code]).toEqual([403, 'CROSS_SITE']);
    const same = await vote(
      url,
      { choices: ['tou-kui'] },
      { cookie, headers: { origin: url, 'sec-fetch-site': 'same-origin' } },
    );
    expect(same.status).toBe(201);
  });

  it('refuses a cross-site form POST', async () => {
    const response = await fetch(`${url}/campaigns/${OPEN}/vote`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      body: 'choices=tou-kui',
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('CROSS_SITE');
  });
});

describe('no-JS form handler', () => {
  const post = (body: string, cookie?: string) =>
    fetch(`${url}/campaigns/${OPEN}/vote`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, ...(cookie ? { cookie } : {}) },
      body,
    });

  it('redirects to the receipt, and a second ballot to the first receipt with already=1', async () => {
    const cookie = await newDevice(url);
    const first = await post(
      new URLSearchParams([
        ['choices', 'tou-kui'],
        ['choices', 'yan-jing'],
        ['product1', '儿童水杯'],
        ['issue1', '有异味'],
        ['venue1', ''],
        ['district', '青浦区'],
      ]).toString(),
      cookie,
    );
    expect(first.status).toBe(303);
    const location = new URL(first.headers.get('location') ?? '', url);
    expect(location.pathname).toBe(`/campaigns/${OPEN}/receipt/`);
    const ballotId = location.searchParams.get('ballot');
    expect(ballotId).toMatch(RECEIPT_ID);
    const second = await post('choices=tou-kui', cookie);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(`/campaigns/${OPEN}/receipt/?ballot=${ballotId}&already=1`);
  });

  it('answers a refused ballot with the refilled ballot page itself: no redirect, no free text in a URL', async () => {
    const cookie = await newDevice(url);
    const response = await post(
      new URLSearchParams([
        ['choices', 'tou-kui'],
        ['choices', 'yan-jing'],
        ['choices', 'dian-re-shui-hu'],
        ['choices', 'cha-tou-cha-zuo'],
        ['product1', '会漏电的台灯'],
        ['issue1', '外壳发烫'],
        ['event', activeCode],
      ]).toString(),
      cookie,
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('选择的产品超过了本次征集允许的数量');
    expect(html).toContain('会漏电的台灯');
    expect(html).toContain('外壳发烫');
    expect(html).toMatch(/value="cha-tou-cha-zuo"[^>]*checked/);
    expect(html).toContain(activeCode);
    const empty = await post(`kiosk=${kioskToken}`, cookie);
    expect(empty.status).toBe(400);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain('请至少选择一个产品');
    expect(emptyHtml).toContain('现场投票机模式');
  });

  it('pre-fills nothing from the query string, so a link from another site cannot prepare a ballot', async () => {
    const response = await fetch(
      `${url}/campaigns/${OPEN}/?error=TOO_MANY_CHOICES&choices=tou-kui&product1=${encodeURIComponent('可疑链接填的产品')}`,
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain('可疑链接填的产品');
    expect(html).not.toMatch(/value="tou-kui"[^>]*checked/);
    expect(html).not.toContain('选择的产品超过了本次征集允许的数量');
  });

  it('answers a wrong media type with the ballot page and its status', async () => {
    const response = await fetch(`${url}/campaigns/${OPEN}/vote`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', origin: url },
      body: '{}',
    });
    expect(response.status).toBe(415);
    expect(await response.text()).toContain('提交方式不受支持');
  });

  it('refuses a ballot without a device cookie with a page that issues one, so the retry counts', async () => {
    const response = await post('choices=tou-kui');
    expect(response.status).toBe(428);
    expect(await response.text()).toContain('请先打开投票页面再投票');
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^ndwc_device=/);
    const retry = await post('choices=tou-kui', cookie);
    expect(retry.status).toBe(303);
  });

  it('shows a device that has voted its receipt on arrival instead of a blank ballot', async () => {
    const cookie = await newDevice(url);
    const first = await post('choices=yan-jing', cookie);
    const ballotId = new URL(first.headers.get('location') ?? '', url).searchParams.get('ballot') ?? '';
    const page = await (await fetch(`${url}/campaigns/${OPEN}/`, { headers: { cookie } })).text();
    expect(page).toContain('你已经投过票了');
    expect(page).toContain(ballotId);
    expect(page).not.toContain('class="ballot-submit"');
    const fresh = await (await fetch(`${url}/campaigns/${OPEN}/`)).text();
    expect(fresh).not.toContain('你已经投过票了');
    expect(fresh).toContain('class="ballot-submit"');
  });
});

describe('receipt', () => {
  it("shows the ballot's choices, and the lookup finds it by its id typed in any case without dashes", async () => {
    const cookie = await newDevice(url);
    const cast = await vote(
      url,
      { choices: ['yan-jing'], writeIns: [{ product: '儿童滑板车', issue: '刹车失灵' }] },
      { cookie },
    );
    expect(cast.status).toBe(201);
    const ballotId = cast.body.ballotId as string;
    expect(ballotId).toMatch(RECEIPT_ID);
    const typed = ballotId.toLowerCase().replaceAll('-', '');
    const found = await fetch(`${url}/campaigns/${OPEN}/receipt/?ballot=${typed}`);
    expect(found.status).toBe(200);
    const html = await found.text();
    expect(html).toContain(ballotId);
    expect(html).toContain('您投给了');
    expect(html).toContain('自填：儿童滑板车');
    const lookup = await fetch(`${url}/campaigns/${OPEN}/receipt/`);
    expect(lookup.status).toBe(200);
    const form = await lookup.text();
    expect(form).toContain('查询投票回执');
    expect(form).toMatch(/<form[^>]*method="get"[^>]*action="\/campaigns\/[^"]+\/receipt\/"/);
    expect((await fetch(`${url}/campaigns/${OPEN}/receipt/?ballot=2222-2222-2222`)).status).toBe(404);
  });
});

describe('closed campaign pages', () => {
  it('say that no ballots arrived and that no outcome is published yet, never a table of zeros', async () => {
    const results = await fetch(`${url}/campaigns/${CLOSED}/results/`);
    expect(results.status).toBe(200);
    const resultsHtml = await results.text();
    expect(resultsHtml).toContain('本次征集没有收到网上投票');
    expect(resultsHtml).not.toContain('0 票');
    const outcome = await (await fetch(`${url}/campaigns/${CLOSED}/outcome/`)).text();
    expect(outcome).toContain('结果尚未公布');
    expect(outcome).toContain('本次征集已在 2025年');
    expect(outcome).toContain('截止，点题结果还没有在这里公布');
    expect(outcome).not.toContain('正在汇总');
  });
});

describe('device cookie', () => {
  it('refuses a JSON ballot without a cookie, or with one made up, and issues one for the retry', async () => {
    const bare = await vote(url, { choices: ['tou-kui'] });
    expect([bare.status, bare.body.error.code]).toEqual([428, 'DEVICE_COOKIE_REQUIRED']);
    expect(bare.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const madeUp = await vote(url, { choices: ['tou-kui'] }, { cookie: 'ndwc_device=AAAAAAAAAAAAAAAAAAAAAA.1.x' });
    expect([madeUp.status, madeUp.body.error.code]).toEqual([428, 'DEVICE_COOKIE_REQUIRED']);
    const issued = (bare.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await vote(url, { choices: ['tou-kui'] }, { cookie: issued })).status).toBe(201);
  });

  it('counts a ballot only once the cookie of the ballot page is old enough', async () => {
    const aged = await startServer({ env: { DEVICE_COOKIE_MIN_AGE_SECONDS: '2' } });
    try {
      const page = await fetch(`${aged.url}/campaigns/${OPEN}/`);
      await page.arrayBuffer();
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect(cookie).toMatch(/^ndwc_device=/);
      const tooSoon = await vote(aged.url, { choices: ['tou-kui'] }, { cookie });
      expect([tooSoon.status, tooSoon.body.error.code]).toEqual([428, 'DEVICE_COOKIE_TOO_NEW']);
      expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await vote(aged.url, { choices: ['tou-kui'] }, { cookie })).status).toBe(201);
    } finally {
      await aged.stop();
    }
  });
});

describe('kiosk', () => {
  it('casts ballot after ballot from one device, no faster than the minimum interval', async () => {
    const cookie = await newDevice(url);
    const headers = { 'x-kiosk-token': kioskToken };
    const first = await vote(url, { choices: ['tou-kui'] }, { cookie, headers });
    expect(first.status).toBe(201);
    const tooFast = await vote(url, { choices: ['tou-kui'] }, { cookie, headers });
    expect([tooFast.status, tooFast.body.error.code]).toEqual([429, 'KIOSK_TOO_FAST']);
    expect(tooFast.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(Number(tooFast.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const second = await vote(url, { choices: ['yan-jing'] }, { cookie, headers });
    expect(second.status).toBe(201);
    expect(second.body.ballotId).not.toBe(first.body.ballotId);

    await new Promise((resolve) => setTimeout(resolve, 2100));
    const form = await fetch(`${url}/campaigns/${OPEN}/vote`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, cookie },
      body: `choices=tou-kui&kiosk=${kioskToken}`,
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toMatch(/\/receipt\/\?ballot=[2-9A-HJ-NP-Z-]{14}&kiosk=/);
  });

  it('shows the ballot alone: no site menu, breadcrumbs or footer to wander off to', async () => {
    const kioskPage = await (await fetch(`${url}/campaigns/${OPEN}/?e=${activeCode}&kiosk=${kioskToken}`)).text();
    expect(kioskPage).toContain('现场投票机模式');
    expect(kioskPage).not.toContain('aria-label="主导航"');
    expect(kioskPage).not.toContain('<footer');
    expect(kioskPage).not.toContain('智能问答');
    const ordinary = await (await fetch(`${url}/campaigns/${OPEN}/`)).text();
    expect(ordinary).toContain('aria-label="主导航"');
    expect(ordinary).toContain('<footer');
  });

  it('refuses a forged kiosk token', async () => {
    const answer = await vote(url, { choices: ['tou-kui'] }, { headers: { 'x-kiosk-token': 'not-a-kiosk' } });
    expect([answer.status, answer.body.error.code]).toEqual([403, 'INVALID_KIOSK']);
  });
});

describe('what is kept on disk', () => {
  it('keeps no address or user agent, attributes channels, and keeps secrets private', async () => {
    const cookie = await newDevice(url);
    expect(
      (
        await vote(
          url,
          { choices: ['tou-kui'], event: activeCode },
          { cookie, headers: { 'user-agent': 'UA-MARKER/1.0' } },
        )
      ).status,
    ).toBe(201);
    const log = readFileSync(join(server.dataDir, 'ballots.jsonl'), 'utf8');
    expect(log).not.toContain('127.0.0.1');
    expect(log).not.toContain('UA-MARKER');
    const channels = new Set(
      log
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line.slice(9)).channel),
    );
    expect(channels).toEqual(new Set(['online', 'event', 'kiosk']));
    expect(statSync(join(server.dataDir, 'device-cookie.secret')).mode & 0o777).toBe(0o600);
    const keys = readdirSync(join(server.dataDir, 'keys'));
    expect(keys).toEqual([`address-${testClock.now().toISOString().slice(0, 10)}.key`]);
    expect(statSync(join(server.dataDir, 'keys', keys[0] as string)).mode & 0o777).toBe(0o600);
    const review = readdirSync(join(server.dataDir, 'address-review'));
    expect(review).toHaveLength(1);
    expect(readFileSync(join(server.dataDir, 'address-review', review[0] as string), 'utf8')).not.toContain(
      '127.0.0.1',
    );
  });
});
