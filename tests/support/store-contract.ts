/**
 * The storage contract: what every Store must do, written against the interface only and run
 * against each adapter (tests/api/store-contract-file.test.ts, tests/api/store-contract-pg.test.ts).
 * A harness opens a fresh, empty store and reopens the same data, as a restart would.
 */
import { describe, expect, it } from 'vitest';
import { VersionConflictError, RecordNotFoundError, type PlanItemInput } from '../../src/lib/admin/types';
import { addToTally, emptyTally, type Channel } from '../../src/lib/voting/tally';
import { StoreUnavailableError, type Ballot, type NewBallot, type Store } from '../../src/server/store/store';
import { createHash } from 'node:crypto';
import type { Announcement, Recall } from '../../src/lib/content-schemas';
import type { AttachmentRef, NewPublication, Publication, PublicationKind } from '../../src/lib/publishing/model';
import { PublicationSlugTakenError } from '../../src/lib/publishing/records';

export interface StoreHarness {
  /** A new store on empty data; `now` replaces the clock where a test needs to move time. */
  open(options?: { now?: () => Date }): Promise<Store>;
  /** Closes `store` and opens its data again. */
  reopen(store: Store): Promise<Store>;
  /** Everything `store` has persisted, as text: to show a secret is never among it. */
  storedText(store: Store): Promise<string>;
}

let counter = 0;

export function ballot(overrides: Partial<NewBallot> = {}): NewBallot {
  counter += 1;
  return {
    id: `b${counter}_${Math.random().toString(36).slice(2, 10)}`,
    campaignId: 'c',
    choices: ['tou-kui'],
    writeIns: [],
    district: null,
    event: null,
    eventType: null,
    channel: 'online',
    kioskId: null,
    createdAt: new Date().toISOString(),
    deviceHash: `d${counter}`,
    addressHashOfDay: `a${counter}`,
    ...overrides,
  };
}

function stored(newBallot: NewBallot): Ballot {
  const { addressHashOfDay: _address, ...rest } = newBallot;
  return rest;
}

function expectedTally(ballots: readonly Ballot[]) {
  const tally = emptyTally();
  for (const item of ballots) {
    addToTally(tally, { ...item, writeInCount: item.writeIns.length });
  }
  return tally;
}

/** A 示例 announcement in the content/ file format, with `failedProducts` rows. */
export function exampleAnnouncement(title: string, failedProducts = 2): Announcement {
  return {
    title,
    titleComposed: false,
    issuer: '示例市市场监督管理局',
    date: { text: '2026-11-20', iso: '2026-11-20', year: 2026 },
    category: '电线电缆',
    region: '示例市',
    stages: ['生产', '流通'],
    stageNote: '生产、流通领域',
    batches: { sampled: 40, failed: failedProducts },
    passRateStated: null,
    rules: null,
    summary: '示例：本次抽查的结果。',
    failedProducts: Array.from({ length: failedProducts }, (_, index) => ({
      productName: `示例电线 ${index + 1}`,
      brand: '示例牌',
      modelSpec: 'BV 2.5mm²',
      batchOrDate: '2026-09-01',
      manufacturer: `示例线缆有限公司第${index + 1}厂`,
      sampledUnit: '示例五金店',
      failedItems: [{ text: '导体电阻（实测 8.9Ω/km，标准要求 ≤7.41Ω/km）', explanation: 'dao-ti-dian-zu' }],
      inspectionBody: '示例市质量技术监督检测院',
    })),
    source: { url: 'https://example.org/notice/1', note: null },
    firstPublishedAt: '2026-11-21',
    example: true,
  };
}

function exampleRecall(title: string): Recall {
  return {
    title,
    titleComposed: false,
    date: { text: '2026-11-20', iso: '2026-11-20', year: 2026 },
    company: '示例玩具有限公司',
    product: '示例摇铃',
    quantity: '540盒',
    defect: null,
    hazard: null,
    remedy: null,
    region: null,
    source: { url: 'https://example.org/recall/1', note: null },
    firstPublishedAt: '2026-11-21',
    example: true,
  };
}

/** A new publication: a draft being edited, or (with `published`) one published revision. */
export function newPublication(
  slug: string,
  options: { kind?: PublicationKind; published?: boolean; title?: string } = {},
): NewPublication {
  const kind = options.kind ?? 'announcements';
  const title = options.title ?? `示例公告 ${slug}`;
  const data = kind === 'recalls' ? exampleRecall(title) : exampleAnnouncement(title);
  return {
    kind,
    slug,
    revisions: options.published
      ? [
          {
            number: 1,
            data,
            publishedAt: '2026-11-21T10:00:00+08:00',
            preparedBy: 'alice',
            approvedBy: 'bob',
            correctionNote: null,
          },
        ]
      : [],
    draft: options.published
      ? null
      : {
          data,
          stage: 'editing',
          correctionNote: null,
          preparedBy: 'alice',
          updatedAt: '2026-11-21T09:00:00+08:00',
          submittedAt: null,
          approvedBy: null,
          scheduledFor: null,
        },
    withdrawal: null,
    attachments: [],
    createdBy: 'alice',
  } as NewPublication;
}

/** `publication` with its draft approved for `scheduledFor`. */
function scheduled(publication: Publication, scheduledFor: string | null): Publication {
  return {
    ...publication,
    draft: {
      ...(publication.draft as NonNullable<Publication['draft']>),
      stage: 'scheduled',
      approvedBy: 'bob',
      scheduledFor,
    },
  };
}

/** A clock that moves one second on every reading, so every change has its own time. */
function tickingClock(start = Date.parse('2026-12-01T02:00:00Z')): () => Date {
  let tick = 0;
  return () => new Date(start + 1000 * tick++);
}

/** The record of an upload of `content` (its size and SHA-256), as the upload route makes it. */
export function attachmentOf(
  content: Buffer,
  fileName = '抽查结果.pdf',
  mediaType = 'application/pdf',
): Omit<AttachmentRef, 'id'> {
  return {
    fileName,
    mediaType,
    bytes: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    uploadedAt: '2026-12-01T10:00:00+08:00',
    uploadedBy: 'alice',
  };
}

export function storeContract(name: string, harness: () => StoreHarness): void {
  describe(`${name}: ballots and tallies`, () => {
    it('stores a ballot, finds it by id and by device, and counts it', async () => {
      let store = await harness().open();
      const first = ballot({
        choices: ['tou-kui', 'yan-jing'],
        district: '青浦区',
        writeIns: [{ product: '充电宝', issue: '虚标容量', venue: null }],
      });
      const outcome = await store.ballots.append(first, { onePerDevice: true });
      expect(outcome).toEqual({ status: 'stored', ballot: stored(first) });
      expect(await store.ballots.get(first.id)).toEqual(stored(first));
      expect(await store.ballots.get('missing')).toBeNull();
      expect(await store.ballots.ofDevice('c', first.deviceHash)).toBe(first.id);
      expect(await store.ballots.ofDevice('other', first.deviceHash)).toBeNull();
      expect(await store.tallies.get('c')).toEqual(expectedTally([stored(first)]));
      expect(await store.tallies.get('nobody-voted')).toEqual(emptyTally());
      store = await harness().reopen(store);
      expect(await store.ballots.get(first.id)).toEqual(stored(first));
      expect(await store.tallies.get('c')).toEqual(expectedTally([stored(first)]));
      await store.close();
    });

    it('keeps exactly one of twenty racing ballots of one device and answers the others with its id', async () => {
      const store = await harness().open();
      const racing = Array.from({ length: 20 }, () => ballot({ deviceHash: 'same-device' }));
      const outcomes = await Promise.all(racing.map((item) => store.ballots.append(item, { onePerDevice: true })));
      const storedOnes = outcomes.filter((outcome) => outcome.status === 'stored');
      expect(storedOnes).toHaveLength(1);
      const firstId = storedOnes[0]?.status === 'stored' ? storedOnes[0].ballot.id : '';
      // Every other one is a duplicate naming the kept ballot: no third kind of answer slips through.
      expect(outcomes.filter((outcome) => outcome.status !== 'stored')).toEqual(
        Array(19).fill({ status: 'duplicate', ballotId: firstId }),
      );
      expect(await store.ballots.append(ballot({ deviceHash: 'same-device' }), { onePerDevice: true })).toEqual({
        status: 'duplicate',
        ballotId: firstId,
      });
      // The same device may vote in another campaign.
      expect(
        (await store.ballots.append(ballot({ deviceHash: 'same-device', campaignId: 'c2' }), { onePerDevice: true }))
          .status,
      ).toBe('stored');
      expect((await store.tallies.get('c')).total).toBe(1);
      await store.close();
    });

    it('stores ballot after ballot of a kiosk device and counts the tally exactly across dimensions', async () => {
      let store = await harness().open();
      const all: Ballot[] = [];
      const channels: Channel[] = ['online', 'event', 'kiosk'];
      const items = Array.from({ length: 60 }, (_, index) => {
        const channel = channels[index % 3] as Channel;
        return ballot({
          choices: [['tou-kui', 'yan-jing', 'cha-tou'][index % 3] as string, ...(index % 4 === 0 ? ['dian-xian'] : [])],
          channel,
          event: channel === 'online' ? null : 'K7M2QX',
          eventType: channel === 'online' ? null : 'school',
          kioskId: channel === 'kiosk' ? 'k_1' : null,
          deviceHash: channel === 'kiosk' ? 'kiosk-device' : `device-${index}`,
          district: index % 5 === 0 ? '浦东新区' : null,
          writeIns: index % 7 === 0 ? [{ product: '电动车头盔', issue: '不合格', venue: '菜场' }] : [],
          createdAt: new Date(Date.UTC(2027, 2, 1, index % 30, index)).toISOString(),
        });
      });
      await Promise.all(
        items.map(async (item) => {
          const outcome = await store.ballots.append(item, { onePerDevice: item.channel !== 'kiosk' });
          expect(outcome.status).toBe('stored');
          all.push(stored(item));
        }),
      );
      expect(await store.tallies.get('c')).toEqual(expectedTally(all));
      expect(await store.ballots.ofDevice('c', 'kiosk-device')).toBeNull();
      store = await harness().reopen(store);
      expect(await store.tallies.get('c')).toEqual(expectedTally(all));
      await store.close();
    });

    it('tells tally listeners after ballots are counted', async () => {
      const store = await harness().open();
      const seen: string[] = [];
      const unsubscribe = store.tallies.onChange((campaignId) => seen.push(campaignId));
      await store.ballots.append(ballot({ campaignId: 'live' }), { onePerDevice: true });
      expect(seen).toContain('live');
      unsubscribe();
      await store.ballots.append(ballot({ campaignId: 'after' }), { onePerDevice: true });
      expect(seen).not.toContain('after');
      await store.close();
    });

    it('follows committed ballots from a cursor in batches, never re-reading', async () => {
      const store = await harness().open();
      const items = [0, 1, 2].map((index) =>
        ballot({ writeIns: index === 1 ? [{ product: '充电宝', issue: '虚标', venue: null }] : [] }),
      );
      for (const item of items) await store.ballots.append(item, { onePerDevice: true });
      const first = await store.ballots.readSince(null, 2);
      expect(first.ballots).toEqual(items.slice(0, 2).map(stored));
      const second = await store.ballots.readSince(first.cursor, 2);
      expect(second.ballots).toEqual([stored(items[2] as NewBallot)]);
      const third = await store.ballots.readSince(second.cursor, 2);
      expect(third).toEqual({ ballots: [], cursor: second.cursor });
      const later = ballot();
      await store.ballots.append(later, { onePerDevice: true });
      expect((await store.ballots.readSince(third.cursor, 10)).ballots).toEqual([stored(later)]);
      await expect(store.ballots.readSince('not a cursor', 1)).rejects.toThrow();
      await store.close();
    });

    it("keeps today's address hashes for review, readable from a cursor", async () => {
      const store = await harness().open();
      const items = [ballot({ addressHashOfDay: 'addr-1' }), ballot({ addressHashOfDay: 'addr-2' })];
      for (const item of items) await store.ballots.append(item, { onePerDevice: true });
      // The file store appends these just after acknowledging: allow it a moment.
      let read = await store.ballots.readAddressReviewSince(null);
      for (let attempt = 0; read.entries.length < 2 && attempt < 50; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        read = await store.ballots.readAddressReviewSince(null);
      }
      expect(read.entries).toEqual(
        items.map((item) => ({ ballotId: item.id, campaignId: 'c', addressHash: item.addressHashOfDay })),
      );
      const third = ballot({ addressHashOfDay: 'addr-3' });
      await store.ballots.append(third, { onePerDevice: true });
      let next = await store.ballots.readAddressReviewSince(read.cursor);
      for (let attempt = 0; next.entries.length < 1 && attempt < 50; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        next = await store.ballots.readAddressReviewSince(read.cursor);
      }
      expect(next.entries.map((entry) => entry.addressHash)).toEqual(['addr-3']);
      await store.close();
    });

    it('refuses ballots once closed', async () => {
      const store = await harness().open();
      await store.close();
      await expect(store.ballots.append(ballot(), { onePerDevice: true })).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
    });
  });

  describe(`${name}: events, kiosks, keys`, () => {
    it('creates events with unique codes and kiosks whose token is kept only as a hash', async () => {
      let store = await harness().open();
      const base = {
        type: 'school' as const,
        name: '进校园（示例小学）',
        place: '礼堂',
        date: '2027-03-15',
        activeFrom: '2027-03-15T09:00:00+08:00',
        activeUntil: '2027-03-15T12:00:00+08:00',
      };
      const event = await store.events.create({ ...base, campaignId: 'c' });
      const other = await store.events.create({ ...base, campaignId: 'c2', type: 'market' });
      expect(event.code).toMatch(/^[A-Z2-9]{6}$/);
      expect(event.code).not.toBe(other.code);
      expect(await store.events.get(event.code)).toEqual(event);
      expect(await store.events.get('ZZZZZZ')).toBeNull();
      expect(await store.events.list('c')).toEqual([event]);
      expect(await store.events.list()).toEqual([event, other]);
      const { kiosk, token } = await store.kiosks.create(event.code);
      expect(kiosk).toMatchObject({ eventCode: event.code, campaignId: 'c', revokedAt: null });
      await expect(store.kiosks.create('ZZZZZZ')).rejects.toThrow();
      store = await harness().reopen(store);
      expect(await store.kiosks.byToken(token)).toEqual(kiosk);
      expect(await store.kiosks.byToken(`${token}x`)).toBeNull();
      await store.close();
    });

    it('revokes a kiosk once: its token stops working, the list keeps it with the first revocation time', async () => {
      let now = new Date('2027-03-15T02:00:00Z');
      let store = await harness().open({ now: () => now });
      const base = {
        type: 'community' as const,
        name: '进社区',
        place: '活动室',
        date: '2027-03-15',
        activeFrom: '2027-03-15T09:00:00+08:00',
        activeUntil: '2027-03-15T12:00:00+08:00',
      };
      const event = await store.events.create({ ...base, campaignId: 'c' });
      const elsewhere = await store.events.create({ ...base, campaignId: 'c2' });
      const first = await store.kiosks.create(event.code);
      const second = await store.kiosks.create(event.code);
      const other = await store.kiosks.create(elsewhere.code);
      const revoked = await store.kiosks.revoke(first.kiosk.id);
      expect(revoked).toEqual({ ...first.kiosk, revokedAt: now.toISOString() });
      now = new Date('2027-03-15T03:00:00Z');
      expect((await store.kiosks.revoke(first.kiosk.id))?.revokedAt).toBe('2027-03-15T02:00:00.000Z');
      expect(await store.kiosks.revoke('k_missing')).toBeNull();
      store = await harness().reopen(store);
      expect(await store.kiosks.byToken(first.token)).toBeNull();
      expect(await store.kiosks.byToken(second.token)).toEqual(second.kiosk);
      expect((await store.kiosks.listOfEvents([event.code])).map((kiosk) => [kiosk.id, kiosk.revokedAt])).toEqual([
        [first.kiosk.id, '2027-03-15T02:00:00.000Z'],
        [second.kiosk.id, null],
      ]);
      expect((await store.kiosks.listOfEvents([event.code, elsewhere.code])).map((kiosk) => kiosk.id)).toContain(
        other.kiosk.id,
      );
      expect(await store.kiosks.listOfEvents([])).toEqual([]);
      await store.close();
    });

    it('cuts audit fields to their limits in the stored entry', async () => {
      const store = await harness().open();
      const entry = await store.audit.append({
        actor: null,
        action: 'login',
        target: 'x'.repeat(100_000),
        outcome: 'denied',
        detail: null,
      });
      expect(entry.target?.length).toBeLessThanOrEqual(128);
      expect((await store.audit.list({ limit: 1, offset: 0 })).entries[0]).toEqual(entry);
      await store.close();
    });

    it('paces a kiosk: one turn per interval, refused with the wait, a released turn given back', async () => {
      const store = await harness().open();
      const at = (seconds: number) => new Date(Date.UTC(2027, 2, 15, 2, 0, seconds));
      expect((await store.kiosks.claimSlot('k1', at(0), 8)).allowed).toBe(true);
      expect(await store.kiosks.claimSlot('k1', at(3), 8)).toEqual({ allowed: false, retryAfterSeconds: 5 });
      expect((await store.kiosks.claimSlot('k2', at(3), 8)).allowed).toBe(true);
      const later = await store.kiosks.claimSlot('k1', at(8), 8);
      expect(later.allowed).toBe(true);
      if (later.allowed) later.release();
      // Release may finish in the background (PostgreSQL): poll until the turn is free again.
      let again = await store.kiosks.claimSlot('k1', at(9), 8);
      for (let attempt = 0; !again.allowed && attempt < 50; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        again = await store.kiosks.claimSlot('k1', at(9), 8);
      }
      expect(again.allowed).toBe(true);
      await store.close();
    });

    it('keeps the device-cookie secret across restarts and one address key per UTC day', async () => {
      let store = await harness().open();
      const secret = await store.secrets.deviceCookieSecret();
      expect(secret.length).toBeGreaterThanOrEqual(32);
      const today = new Date();
      const key = await store.secrets.addressKeyOfDay(today);
      expect(key.day).toBe(today.toISOString().slice(0, 10));
      store = await harness().reopen(store);
      expect((await store.secrets.deviceCookieSecret()).equals(secret)).toBe(true);
      expect((await store.secrets.addressKeyOfDay(today)).key.equals(key.key)).toBe(true);
      const tomorrow = await store.secrets.addressKeyOfDay(new Date(today.getTime() + 86_400_000));
      expect(tomorrow.key.equals(key.key)).toBe(false);
      await store.close();
    });
  });

  describe(`${name}: staff side`, () => {
    it('creates the first admin only once and refuses a taken username', async () => {
      let store = await harness().open();
      expect(
        await store.staff.create({ username: 'admin', role: 'admin', passwordHash: 'h1' }, { onlyIfNoStaff: true }),
      ).not.toBeNull();
      expect(
        await store.staff.create({ username: 'other', role: 'admin', passwordHash: 'h2' }, { onlyIfNoStaff: true }),
      ).toBeNull();
      expect(await store.staff.create({ username: 'admin', role: 'editor', passwordHash: 'h3' })).toBeNull();
      const editor = await store.staff.create({ username: 'wang', role: 'editor', passwordHash: 'h4' });
      expect(editor).toMatchObject({ username: 'wang', role: 'editor', disabledAt: null, version: 1 });
      store = await harness().reopen(store);
      expect((await store.staff.list()).map((user) => user.username)).toEqual(['admin', 'wang']);
      expect(await store.staff.byUsername('wang')).toEqual(editor);
      expect(await store.staff.get(editor?.id ?? '')).toEqual(editor);
      expect(await store.staff.byUsername('nobody')).toBeNull();
      await store.close();
    });

    it("a new password or disabling ends the account's sessions; a stale version changes nothing", async () => {
      const store = await harness().open();
      const user = (await store.staff.create({ username: 'wang', role: 'editor', passwordHash: 'old' }))!;
      const at = new Date().toISOString();
      await store.sessions.create({ idHash: 's1', userId: user.id, createdAt: at, lastSeenAt: at });
      await expect(store.staff.update(user.id, user.version + 1, { passwordHash: 'new' })).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      await expect(store.staff.update('u_missing', 1, { passwordHash: 'new' })).rejects.toBeInstanceOf(
        RecordNotFoundError,
      );
      expect(await store.sessions.get('s1')).toEqual({ idHash: 's1', userId: user.id, createdAt: at, lastSeenAt: at });
      const updated = await store.staff.update(user.id, user.version, { passwordHash: 'new' });
      expect(updated).toMatchObject({ passwordHash: 'new', version: 2 });
      expect(await store.sessions.get('s1')).toBeNull();
      await store.sessions.create({ idHash: 's2', userId: user.id, createdAt: at, lastSeenAt: at });
      await store.staff.update(user.id, 2, { role: 'admin' });
      expect(await store.sessions.get('s2')).not.toBeNull();
      await store.staff.update(user.id, 3, { disabledAt: at });
      expect(await store.sessions.get('s2')).toBeNull();
      expect(await store.staff.get(user.id)).toMatchObject({ role: 'admin', disabledAt: at, version: 4 });
      await store.close();
    });

    it('touches, deletes and prunes sessions', async () => {
      const store = await harness().open();
      await store.sessions.create({
        idHash: 'old',
        userId: 'u',
        createdAt: '2027-01-01T00:00:00Z',
        lastSeenAt: '2027-01-01T00:10:00Z',
      });
      await store.sessions.create({
        idHash: 'idle',
        userId: 'u',
        createdAt: '2027-01-01T08:00:00Z',
        lastSeenAt: '2027-01-01T08:00:00Z',
      });
      await store.sessions.create({
        idHash: 'live',
        userId: 'u',
        createdAt: '2027-01-01T08:00:00Z',
        lastSeenAt: '2027-01-01T09:00:00Z',
      });
      await store.sessions.create({
        idHash: 'gone',
        userId: 'u',
        createdAt: '2027-01-01T08:00:00Z',
        lastSeenAt: '2027-01-01T09:00:00Z',
      });
      await store.sessions.touch('live', '2027-01-01T09:50:00Z');
      await store.sessions.touch('live', '2027-01-01T09:40:00Z');
      await store.sessions.delete('gone');
      await store.sessions.delete('never-existed');
      await store.sessions.prune('2027-01-01T02:00:00Z', '2027-01-01T09:30:00Z');
      expect(await store.sessions.get('old')).toBeNull();
      expect(await store.sessions.get('idle')).toBeNull();
      expect(await store.sessions.get('gone')).toBeNull();
      expect(await store.sessions.get('live')).toMatchObject({ lastSeenAt: '2027-01-01T09:50:00Z' });
      await store.close();
    });

    it('decides several write-ins at once, or none of them when one version is stale', async () => {
      let store = await harness().open();
      const items = [
        { key: 'b1#0', expectedVersion: 0 },
        { key: 'b2#0', expectedVersion: 0 },
      ];
      await store.moderation.decide('c', items.slice(0, 1), { status: 'approved' }, 'bob');
      await expect(
        store.moderation.decide('c', items, { status: 'rejected', reason: '重复' }, 'alice'),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect((await store.moderation.list('c')).map((record) => [record.key, record.status])).toEqual([
        ['b1#0', 'approved'],
      ]);
      const merged = await store.moderation.decide(
        'c',
        [
          { key: 'b1#0', expectedVersion: 1 },
          { key: 'b2#0', expectedVersion: 0 },
        ],
        { status: 'merged', mergedInto: { kind: 'candidate', candidateId: 'tou-kui' } },
        'alice',
      );
      expect(merged.map((record) => record.version)).toEqual([2, 1]);
      await store.moderation.decide(
        'c',
        [{ key: 'b3#0', expectedVersion: 0 }],
        { status: 'rejected', reason: '与抽查无关' },
        'bob',
      );
      store = await harness().reopen(store);
      expect((await store.moderation.list('c')).map((record) => [record.key, record.status, record.version])).toEqual([
        ['b1#0', 'merged', 2],
        ['b2#0', 'merged', 1],
        ['b3#0', 'rejected', 1],
      ]);
      expect((await store.moderation.list('c'))[0]).toMatchObject({
        mergedInto: { kind: 'candidate', candidateId: 'tou-kui' },
        reason: null,
        decidedBy: 'alice',
      });
      expect((await store.moderation.list('c'))[2]).toMatchObject({ reason: '与抽查无关', mergedInto: null });
      expect(await store.moderation.list('other')).toEqual([]);
      await store.close();
    });

    it('refuses the second of two first decisions on one write-in made at once', async () => {
      const store = await harness().open();
      const results = await Promise.allSettled([
        store.moderation.decide('c', [{ key: 'b9#0', expectedVersion: 0 }], { status: 'approved' }, 'alice'),
        store.moderation.decide(
          'c',
          [{ key: 'b9#0', expectedVersion: 0 }],
          { status: 'rejected', reason: '重复' },
          'bob',
        ),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((result) => result.status === 'rejected');
      expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(VersionConflictError);
      expect(await store.moderation.list('c')).toHaveLength(1);
      await store.close();
    });

    const input: PlanItemInput = {
      year: 2027,
      category: '头盔',
      method: '监督抽查',
      quarters: [2],
      plannedBatches: 30,
      stages: ['流通'],
      reason: '得票第一',
      campaignId: 'c',
      nomination: 'c:tou-kui',
    };

    it('keeps the first of two concurrent plan edits and refuses the second', async () => {
      let store = await harness().open();
      const item = await store.plan.create(input, 'alice');
      expect(item).toMatchObject({ ...input, createdBy: 'alice', updatedBy: 'alice', version: 1 });
      expect(item.id).toMatch(/^p-[a-z0-9-]+$/);
      const other = await store.plan.create({ ...input, year: 2028, campaignId: 'c2', plannedBatches: null }, 'bob');
      await store.plan.update(item.id, 1, { ...input, quarters: [3, 4] }, 'bob');
      await expect(store.plan.update(item.id, 1, { ...input, quarters: [4] }, 'alice')).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      await expect(store.plan.update('p-missing', 1, input, 'alice')).rejects.toBeInstanceOf(RecordNotFoundError);
      await expect(store.plan.delete(item.id, 1)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(store.plan.delete('p-missing', 1)).rejects.toBeInstanceOf(RecordNotFoundError);
      store = await harness().reopen(store);
      expect(await store.plan.get(item.id)).toMatchObject({
        quarters: [3, 4],
        version: 2,
        updatedBy: 'bob',
        createdBy: 'alice',
      });
      expect(await store.plan.list({ year: 2027 })).toHaveLength(1);
      expect(await store.plan.list({ campaignId: 'c2' })).toEqual([other]);
      expect((await store.plan.list()).map((planItem) => planItem.id)).toEqual([item.id, other.id]);
      await store.plan.delete(item.id, 2);
      expect(await store.plan.list({ year: 2027 })).toEqual([]);
      expect(await store.plan.get(item.id)).toBeNull();
      await store.close();
    });

    it('sets, versions and clears a declined reason; publishes and withdraws', async () => {
      let store = await harness().open();
      const decision = await store.plan.setNominationDecision('c', 'c:ran-qi-qi-ju', 0, '已列入专项治理', 'alice');
      expect(decision).toMatchObject({
        campaignId: 'c',
        nomination: 'c:ran-qi-qi-ju',
        declinedReason: '已列入专项治理',
        decidedBy: 'alice',
        version: 1,
      });
      await expect(
        store.plan.setNominationDecision('c', 'c:ran-qi-qi-ju', 0, '别的理由', 'bob'),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect(await store.plan.setNominationDecision('c', 'c:ran-qi-qi-ju', 1, '改写的理由', 'bob')).toMatchObject({
        version: 2,
      });
      store = await harness().reopen(store);
      expect(await store.plan.listNominationDecisions('c')).toMatchObject([
        { declinedReason: '改写的理由', version: 2 },
      ]);
      expect(await store.plan.setNominationDecision('c', 'c:ran-qi-qi-ju', 2, null, 'alice')).toBeNull();
      expect(await store.plan.listNominationDecisions('c')).toEqual([]);
      const publication = await store.outcomes.setPublished('c', true, 'alice');
      expect(publication).toMatchObject({ campaignId: 'c', publishedBy: 'alice' });
      expect(await store.outcomes.list()).toEqual([publication]);
      expect(await store.outcomes.setPublished('c', false, 'alice')).toBeNull();
      expect(await store.outcomes.list()).toEqual([]);
      await store.close();
    });

    it('sets ballots aside per campaign, keeps them across restarts and restores once with the version', async () => {
      let store = await harness().open();
      const removed = emptyTally();
      addToTally(removed, { ...ballot(), writeInCount: 0 });
      const input = {
        campaignId: 'c',
        flag: { kind: 'address-burst' as const, key: 'hash', firstAt: '2027-03-15T02:00:00.000Z' },
        ballotIds: ['b-1'],
        removed,
        reason: '同一地址 5 秒内 300 张',
        setAsideBy: 'alice',
        setAsideAt: '2027-03-15T02:10:00.000Z',
      };
      const created = await store.setAsides.create(input);
      expect(created).toMatchObject({ ...input, restoredAt: null, restoredBy: null, version: 1 });
      await store.setAsides.create({ ...input, campaignId: 'other' });
      store = await harness().reopen(store);
      expect(await store.setAsides.list('c')).toEqual([created]);
      await expect(store.setAsides.restore(created.id, 2, 'bob')).rejects.toBeInstanceOf(VersionConflictError);
      await expect(store.setAsides.restore('missing', 1, 'bob')).rejects.toBeInstanceOf(RecordNotFoundError);
      const restored = await store.setAsides.restore(created.id, 1, 'bob');
      expect(restored).toMatchObject({ id: created.id, restoredBy: 'bob', version: 2 });
      expect(restored.restoredAt).not.toBeNull();
      expect(await store.setAsides.list('c')).toEqual([restored]);
      await store.close();
    });

    it('appends to the audit log, keeps it across restarts and lists newest first with paging', async () => {
      let store = await harness().open();
      const written = [];
      for (const action of ['login', 'plan.create', 'logout']) {
        written.push(
          await store.audit.append({
            actor: action === 'login' ? null : 'alice',
            action,
            target: 'x',
            outcome: 'ok',
            detail: action === 'logout' ? '细节' : null,
          }),
        );
      }
      store = await harness().reopen(store);
      const first = await store.audit.list({ limit: 2, offset: 0 });
      expect(first.total).toBe(3);
      expect(first.entries).toEqual([written[2], written[1]]);
      expect((await store.audit.list({ limit: 2, offset: 2 })).entries).toEqual([written[0]]);
      expect((await store.audit.list({ limit: 2, offset: 5 })).entries).toEqual([]);
      await store.close();
    });
  });

  describe(`${name}: publications, attachments, API tokens`, () => {
    it('creates a publication, finds it by id and slug, and refuses a slug its kind already has', async () => {
      let store = await harness().open();
      const created = (await store.publications.create(newPublication('2026-dian-xian'))) as Publication;
      expect(created).toMatchObject({ ...newPublication('2026-dian-xian'), version: 1 });
      expect(created.id).toMatch(/^p_/);
      expect(created.createdAt).toBe(created.updatedAt);
      expect(await store.publications.create(newPublication('2026-dian-xian', { title: '另一个' }))).toBeNull();
      const recall = await store.publications.create(newPublication('2026-dian-xian', { kind: 'recalls' }));
      expect(recall).toMatchObject({ kind: 'recalls', slug: '2026-dian-xian' });
      store = await harness().reopen(store);
      expect(await store.publications.get(created.id)).toEqual(created);
      expect(await store.publications.bySlug('announcements', '2026-dian-xian')).toEqual(created);
      expect(await store.publications.bySlug('recalls', '2026-dian-xian')).toEqual(recall);
      expect(await store.publications.bySlug('explanations', '2026-dian-xian')).toBeNull();
      expect(await store.publications.get('p_missing')).toBeNull();
      expect(await store.publications.create(newPublication('2026-dian-xian'))).toBeNull();
      await store.close();
    });

    it('saves on the version it saw: bumps it, sets updatedAt, refuses a stale one and keeps id and kind', async () => {
      let store = await harness().open({ now: tickingClock() });
      const created = (await store.publications.create(newPublication('a'))) as Publication;
      const retitled = structuredClone(created);
      retitled.draft = { ...(retitled.draft as NonNullable<Publication['draft']>), stage: 'in_review' };
      const saved = await store.publications.save(
        { ...retitled, kind: 'recalls', createdBy: 'mallory', version: 99 },
        1,
        { publicChange: false },
      );
      expect(saved).toEqual({ ...retitled, version: 2, updatedAt: saved.updatedAt });
      expect(saved.updatedAt > created.updatedAt).toBe(true);
      await expect(store.publications.save(retitled, 1, { publicChange: false })).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      await expect(
        store.publications.save({ ...retitled, id: 'p_missing' }, 1, { publicChange: false }),
      ).rejects.toBeInstanceOf(RecordNotFoundError);
      await store.publications.create(newPublication('b'));
      await expect(store.publications.save({ ...saved, slug: 'b' }, 2, { publicChange: false })).rejects.toBeInstanceOf(
        PublicationSlugTakenError,
      );
      const renamed = await store.publications.save({ ...saved, slug: 'c' }, 2, { publicChange: false });
      expect(await store.publications.bySlug('announcements', 'a')).toBeNull();
      store = await harness().reopen(store);
      expect(await store.publications.get(created.id)).toEqual(renamed);
      expect(await store.publications.bySlug('announcements', 'c')).toEqual(renamed);
      expect(await store.publications.create(newPublication('a'))).toMatchObject({ slug: 'a' });
      await store.close();
    });

    it('keeps exactly one of two saves made at once on the same version', async () => {
      const store = await harness().open();
      const created = (await store.publications.create(newPublication('race'))) as Publication;
      const outcomes = await Promise.allSettled(
        ['甲', '乙'].map((title) =>
          store.publications.save(
            { ...created, draft: { ...(created.draft as NonNullable<Publication['draft']>), correctionNote: title } },
            1,
            { publicChange: false },
          ),
        ),
      );
      const kept = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      expect(kept).toHaveLength(1);
      expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
        reason: expect.any(VersionConflictError),
      });
      expect(await store.publications.get(created.id)).toEqual(kept[0]);
      await store.close();
    });

    it('lists newest change first with paging, a total and a kind filter', async () => {
      const store = await harness().open({ now: tickingClock() });
      const made: Publication[] = [];
      for (const slug of ['one', 'two', 'three', 'four']) {
        made.push((await store.publications.create(newPublication(slug))) as Publication);
      }
      const recall = (await store.publications.create(newPublication('r', { kind: 'recalls' }))) as Publication;
      const touched = await store.publications.save(made[0] as Publication, 1, { publicChange: false });
      const all = await store.publications.list({ limit: 3, offset: 0 });
      expect(all.total).toBe(5);
      expect(all.items).toEqual([touched, recall, made[3]]);
      const announcements = await store.publications.list({ kind: 'announcements', limit: 2, offset: 2 });
      expect(announcements).toEqual({ items: [made[2], made[1]], total: 4 });
      expect(await store.publications.list({ kind: 'recalls', limit: 5, offset: 0 })).toEqual({
        items: [recall],
        total: 1,
      });
      expect(await store.publications.list({ kind: 'announcements', limit: 2, offset: 10 })).toEqual({
        items: [],
        total: 4,
      });
      expect(await store.publications.list({ kind: 'explanations', limit: 2, offset: 0 })).toEqual({
        items: [],
        total: 0,
      });
      await store.close();
    });

    it('lists the published and withdrawn ones as public, and approved drafts once their time has come', async () => {
      const store = await harness().open({ now: tickingClock() });
      const draft = (await store.publications.create(newPublication('draft'))) as Publication;
      const published = (await store.publications.create(newPublication('live', { published: true }))) as Publication;
      const gone = (await store.publications.create(newPublication('gone', { published: true }))) as Publication;
      const withdrawn = await store.publications.save(
        { ...gone, withdrawal: { reason: '数据有误', at: '2026-12-01T10:00:00+08:00', by: 'bob' } },
        1,
        { publicChange: true },
      );
      expect((await store.publications.listPublic()).map((item) => item.slug)).toEqual(['gone', 'live']);
      expect(await store.publications.listPublic()).toEqual([withdrawn, published]);

      // 10:00 in Beijing is 02:00 UTC: the instants are compared, not the strings.
      const atTen = await store.publications.save(scheduled(draft, '2026-12-01T10:00:00+08:00'), 1, {
        publicChange: false,
      });
      const editing = (await store.publications.create(newPublication('editing'))) as Publication;
      expect(await store.publications.listDue('2026-12-01T01:59:59Z')).toEqual([]);
      expect(await store.publications.listDue('2026-12-01T02:00:00Z')).toEqual([atTen]);
      expect(await store.publications.listDue('2026-12-01T10:30:00+08:00')).toEqual([atTen]);
      const atApproval = await store.publications.save(scheduled(editing, null), 1, { publicChange: false });
      expect(await store.publications.listDue('2026-12-01T12:00:00+08:00')).toEqual([atApproval, atTen]);
      await store.close();
    });

    it('lists exactly the drafts awaiting review, each list oldest first across kinds, paged, and after a restart', async () => {
      let store = await harness().open({ now: tickingClock() });
      const inReview = (publication: Publication, submittedAt: string | null): Publication => ({
        ...publication,
        draft: { ...(publication.draft as NonNullable<Publication['draft']>), stage: 'in_review', submittedAt },
      });
      // Submitted long ago: every item after it changes later, and it still comes first.
      const first = (await store.publications.create(newPublication('long-ago'))) as Publication;
      const longAgo = await store.publications.save(inReview(first, '2026-11-01T09:00:00+08:00'), 1, {
        publicChange: false,
      });
      const editing = (await store.publications.create(newPublication('editing'))) as Publication;
      await store.publications.create(newPublication('live', { published: true }));
      const recallDraft = (await store.publications.create(newPublication('r', { kind: 'recalls' }))) as Publication;
      // 08:00 UTC is 16:00 in Beijing, after long-ago's 09:00, although its text sorts first.
      const recall = await store.publications.save(inReview(recallDraft, '2026-11-01T08:00:00Z'), 1, {
        publicChange: false,
      });
      // No submitted time kept: it waits from its last change (2026-12-01, the ticking clock).
      const unstamped = await store.publications.save(
        inReview((await store.publications.create(newPublication('unstamped'))) as Publication, null),
        1,
        { publicChange: false },
      );
      const later = await store.publications.save(
        scheduled(
          (await store.publications.create(newPublication('later'))) as Publication,
          '2027-01-01T10:00:00+08:00',
        ),
        1,
        { publicChange: false },
      );
      const sooner = await store.publications.save(
        scheduled(
          (await store.publications.create(newPublication('sooner'))) as Publication,
          '2026-12-20T10:00:00+08:00',
        ),
        1,
        { publicChange: false },
      );
      for (let index = 0; index < 3; index++) await store.publications.create(newPublication(`newer-${index}`));

      const queue = (stage: 'in_review' | 'scheduled', limit: number, offset: number) =>
        store.publications.listReviewQueue({ stage, limit, offset });
      expect(await queue('in_review', 10, 0)).toEqual({ items: [longAgo, recall, unstamped], total: 3 });
      expect(await queue('in_review', 1, 0)).toEqual({ items: [longAgo], total: 3 });
      expect(await queue('in_review', 2, 1)).toEqual({ items: [recall, unstamped], total: 3 });
      expect(await queue('in_review', 2, 5)).toEqual({ items: [], total: 3 });
      expect(await queue('scheduled', 10, 0)).toEqual({ items: [sooner, later], total: 2 });

      // Sent back to editing, it leaves the queue; approved for later, it moves to the other list.
      await store.publications.save({ ...recall, draft: { ...recall.draft!, stage: 'editing' } }, recall.version, {
        publicChange: false,
      });
      const approved = await store.publications.save(scheduled(longAgo, '2026-12-25T10:00:00+08:00'), longAgo.version, {
        publicChange: false,
      });
      store = await harness().reopen(store);
      expect(await queue('in_review', 10, 0)).toEqual({ items: [unstamped], total: 1 });
      expect(await queue('scheduled', 10, 0)).toEqual({ items: [sooner, approved, later], total: 3 });
      expect((await store.publications.get(editing.id))?.draft?.stage).toBe('editing');
      await store.close();
    });

    it('advances the content version only on public changes, tells listeners, and keeps it across restarts', async () => {
      let store = await harness().open();
      expect(await store.publications.contentVersion()).toBe(0);
      const heard: number[] = [];
      const stop = store.publications.onContentChange((version) => heard.push(version));
      const draft = (await store.publications.create(newPublication('d'))) as Publication;
      const saved = await store.publications.save(draft, 1, { publicChange: false });
      expect(await store.publications.contentVersion()).toBe(0);
      await store.publications.create(newPublication('p', { published: true }));
      expect(await store.publications.contentVersion()).toBe(1);
      const published = await store.publications.save(
        { ...saved, draft: null, revisions: newPublication('d', { published: true }).revisions },
        2,
        { publicChange: true },
      );
      expect(await store.publications.contentVersion()).toBe(2);
      await expect(store.publications.save(published, 2, { publicChange: true })).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      expect(await store.publications.contentVersion()).toBe(2);
      expect(heard).toEqual([1, 2]);
      stop();
      await store.publications.save(published, 3, { publicChange: false });
      store = await harness().reopen(store);
      expect(await store.publications.contentVersion()).toBe(2);
      const afterRestart: number[] = [];
      store.publications.onContentChange((version) => afterRestart.push(version));
      await store.publications.save((await store.publications.get(published.id)) as Publication, 4, {
        publicChange: true,
      });
      expect(afterRestart).toEqual([3]);
      expect(heard).toEqual([1, 2]);
      await store.close();
    });

    it('keeps a pending upload byte for byte across a restart until it expires, and deletes it when asked', async () => {
      // Put on the machine's time: the reopened store reads the real clock.
      const start = Math.floor(Date.now() / 1000) * 1000;
      let store = await harness().open({ now: () => new Date(start) });
      const content = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 13) % 256));
      const kept = await store.pendingUploads.put(
        { owner: 'alice', publicationId: 'p_one', fileName: '不合格产品.xlsx' },
        content,
      );
      expect(kept).toEqual({
        id: expect.stringMatching(/^t_/),
        owner: 'alice',
        publicationId: 'p_one',
        fileName: '不合格产品.xlsx',
        bytes: 4096,
        createdAt: new Date(start).toISOString(),
        expiresAt: new Date(start + 30 * 60 * 1000).toISOString(),
      });
      store = await harness().reopen(store);
      expect(await store.pendingUploads.get(kept.id)).toEqual({ upload: kept, content });
      expect(await store.pendingUploads.get('../t_x')).toBeNull();
      expect(await store.pendingUploads.get('t_missing00000')).toBeNull();
      await store.pendingUploads.delete(kept.id);
      expect(await store.pendingUploads.get(kept.id)).toBeNull();
      await store.pendingUploads.delete(kept.id);
      await store.close();

      let clock = Date.parse('2026-12-01T02:00:00Z');
      store = await harness().open({ now: () => new Date(clock) });
      const later = await store.pendingUploads.put(
        { owner: 'bob', publicationId: 'p_two', fileName: 'b.csv' },
        content,
      );
      clock += 30 * 60 * 1000 - 1;
      expect((await store.pendingUploads.get(later.id))?.upload).toEqual(later);
      clock += 1;
      expect(await store.pendingUploads.get(later.id)).toBeNull();
      await expect(
        store.pendingUploads.put(
          { owner: 'alice', publicationId: 'p_one', fileName: 'big.xlsx' },
          Buffer.alloc(20 * 1024 * 1024 + 1),
        ),
      ).rejects.toThrow();
      await store.close();
    });

    it('keeps at most three pending uploads per staff member: a new one displaces their oldest, nobody else’s', async () => {
      let clock = Date.parse('2026-12-01T02:00:00Z');
      const store = await harness().open({ now: () => new Date((clock += 1000)) });
      const put = (owner: string) =>
        store.pendingUploads.put({ owner, publicationId: 'p_one', fileName: `${owner}.csv` }, Buffer.from(owner));
      const bobs = await put('bob');
      const alices = [await put('alice'), await put('alice'), await put('alice')];
      const fourth = await put('alice');
      expect(await store.pendingUploads.get(alices[0]!.id)).toBeNull();
      for (const upload of [...alices.slice(1), fourth, bobs]) {
        expect((await store.pendingUploads.get(upload.id))?.upload).toEqual(upload);
      }
      // Uploads of one staff member at once still leave three.
      const racing = await Promise.all([put('carol'), put('carol'), put('carol'), put('carol'), put('carol')]);
      const left = await Promise.all(racing.map((upload) => store.pendingUploads.get(upload.id)));
      expect(left.filter(Boolean)).toHaveLength(3);
      await store.close();
    });

    it('keeps an attachment byte for byte and refuses a record that does not describe its bytes', async () => {
      let store = await harness().open();
      const content = Buffer.from(Array.from({ length: 1024 }, (_, index) => (index * 7) % 256));
      const file = attachmentOf(content);
      const ref = await store.attachments.put(file, content);
      expect(ref).toEqual({ ...file, id: ref.id });
      await expect(store.attachments.put({ ...file, bytes: 3 }, content)).rejects.toThrow('字节数');
      await expect(store.attachments.put({ ...file, sha256: '0'.repeat(64) }, content)).rejects.toThrow('SHA-256');
      store = await harness().reopen(store);
      const found = await store.attachments.get(ref.id);
      expect(found?.ref).toEqual(ref);
      expect(found?.content.equals(content)).toBe(true);
      for (const missing of ['f_AAAAAAAAAAAA', '../portal.json', '', `${ref.id}.json`]) {
        expect(await store.attachments.get(missing)).toBeNull();
      }
      await store.close();
    });

    it('creates API tokens whose secret works once shown and is never stored; revokes once', async () => {
      let store = await harness().open();
      const { token, secret } = await store.apiTokens.create({
        name: '监管系统',
        scopes: ['drafts:create'],
        createdBy: 'alice',
      });
      expect(secret).toMatch(/^ndwc_[A-Za-z0-9_-]{43}$/);
      expect(token).toMatchObject({ name: '监管系统', scopes: ['drafts:create'], lastUsedAt: null, revokedAt: null });
      const other = await store.apiTokens.create({
        name: '备用',
        scopes: ['drafts:create', 'publish'],
        createdBy: 'bob',
      });
      expect(await harness().storedText(store)).not.toContain(secret);
      store = await harness().reopen(store);
      expect(await store.apiTokens.bySecret(secret, '2026-12-01T10:00:00+08:00')).toEqual({
        ...token,
        lastUsedAt: '2026-12-01T10:00:00+08:00',
      });
      const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
      expect(await store.apiTokens.bySecret(wrong, '2026-12-01T10:00:00+08:00')).toBeNull();
      expect(await store.apiTokens.bySecret('', '2026-12-01T10:00:00+08:00')).toBeNull();
      const used = { ...token, lastUsedAt: '2026-12-01T10:00:00+08:00' };
      expect(await store.apiTokens.list()).toEqual([used, other.token]);
      const revoked = { ...used, revokedAt: '2026-12-01T11:00:00+08:00' };
      expect(await store.apiTokens.revoke(token.id, '2026-12-01T11:00:00+08:00')).toEqual(revoked);
      expect(await store.apiTokens.revoke(token.id, '2026-12-01T12:00:00+08:00')).toEqual(revoked);
      expect(await store.apiTokens.revoke('t_missing', '2026-12-01T12:00:00+08:00')).toBeNull();
      expect(await store.apiTokens.bySecret(secret, '2026-12-01T13:00:00+08:00')).toBeNull();
      expect(await store.apiTokens.bySecret(other.secret, '2026-12-01T13:00:00+08:00')).toMatchObject({
        id: other.token.id,
      });
      store = await harness().reopen(store);
      expect(await store.apiTokens.list()).toEqual([
        revoked,
        { ...other.token, lastUsedAt: '2026-12-01T13:00:00+08:00' },
      ]);
      await store.close();
    });
  });
}
