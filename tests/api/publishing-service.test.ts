/**
 * The publishing service on real stores: the workflow through the file store (rights, review,
 * slugs, versions, audit, attachments), a save the store cannot make durable, and the scheduler
 * run by several processes at once on one PostgreSQL database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/lib/admin/types';
import type { ApiToken, Publication } from '../../src/lib/publishing/model';
import { manualClock } from '../../src/lib/time/clock';
import type { Actor } from '../../src/server/publishing/service';
import { PublishingService, SCHEDULER_ACTOR } from '../../src/server/publishing/service';
import { FileStore } from '../../src/server/store/file-store';
import { PgStore } from '../../src/server/store/pg-store';
import { StoreUnavailableError, type Store } from '../../src/server/store/store';
import { startPostgres, type PostgresServer } from '../support/postgres';

const folders: string[] = [];
const opened: Store[] = [];

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const clock = manualClock(new Date('2027-03-15T02:00:00Z'));

async function fileStore(): Promise<Store> {
  const dataDir = mkdtempSync(join(tmpdir(), 'publishing-service-'));
  folders.push(dataDir);
  const store = await FileStore.open({ dataDir, command: 'publishing service test', log: () => undefined });
  opened.push(store);
  return store;
}

const SAMPLE_RECALL_SLUG = '2027-shang-hai-mou-dian-qi-you-xian-gong-si';

function service(store: Store, policy: 'two-person' | 'single' = 'two-person'): PublishingService {
  return new PublishingService({
    store,
    policy,
    now: () => clock.now(),
    sampleSlugs: async (kind) => new Set(kind === 'recalls' ? [SAMPLE_RECALL_SLUG] : []),
  });
}

const editor: Actor = { staff: { username: 'wang', role: 'editor' } };
const reviewer: Actor = { staff: { username: 'li', role: 'reviewer' } };

const recall = {
  title: '上海某电器有限公司召回电热暖手器（示例）',
  date: { text: '2027-03-01', iso: '2027-03-01', year: 2027 },
  company: '上海某电器有限公司',
  product: '电热暖手器（型号：NST-60）',
  quantity: '1200 台',
  defect: '设计缺陷',
  hazard: '触电',
  remedy: '免费更换',
  region: '上海市',
  source: { url: 'https://example.gov.cn/r.html' },
  example: true,
};

function token(scopes: ApiToken['scopes'], revokedAt: string | null = null): Actor {
  return {
    token: { id: 't1', name: 'jianguan', scopes, createdAt: '', createdBy: 'admin', lastUsedAt: null, revokedAt },
  };
}

function ok(result: Awaited<ReturnType<PublishingService['createDraft']>>): Publication {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.publication;
}

async function auditOf(store: Store, target: string): Promise<Pick<AuditEntry, 'actor' | 'action' | 'outcome'>[]> {
  const { entries } = await store.audit.list({ limit: 100, offset: 0 });
  return entries
    .filter((entry) => entry.target === target)
    .reverse()
    .map(({ actor, action, outcome }) => ({ actor, action, outcome }));
}

describe('publishing service on the file store', () => {
  it('takes a recall from draft to published with two people, refusing the wrong ones, and audits each step', async () => {
    const store = await fileStore();
    const publishing = service(store);
    const versionBefore = await store.publications.contentVersion();

    const draft = ok(await publishing.createDraft(editor, 'recalls', recall));
    expect(draft.slug).toBe(`${SAMPLE_RECALL_SLUG}-2`);
    expect(await store.publications.listPublic()).toEqual([]);

    const submitted = ok(await publishing.submitForReview(editor, draft.id, draft.version));
    const byEditor = await publishing.approve(editor, submitted.id, submitted.version);
    expect(byEditor).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    const published = ok(await publishing.approve(reviewer, submitted.id, submitted.version));
    expect(published.revisions).toHaveLength(1);
    expect(published.revisions[0]).toMatchObject({ preparedBy: 'wang', approvedBy: 'li' });
    expect((await store.publications.listPublic()).map((item) => item.id)).toEqual([draft.id]);
    expect(await store.publications.contentVersion()).toBeGreaterThan(versionBefore);

    expect(await auditOf(store, `recalls/${draft.slug}`)).toEqual([
      { actor: 'wang', action: 'publication.create', outcome: 'ok' },
      { actor: 'wang', action: 'publication.submit', outcome: 'ok' },
      { actor: 'wang', action: 'publication.approve', outcome: 'denied' },
      { actor: 'li', action: 'publication.approve', outcome: 'ok' },
    ]);
  });

  it('refuses self-approval under two-person review and allows it under single review', async () => {
    const store = await fileStore();
    const own = ok(await service(store).createDraft(reviewer, 'recalls', recall));
    const submitted = ok(await service(store).submitForReview(reviewer, own.id, own.version));
    expect(await service(store).approve(reviewer, submitted.id, submitted.version)).toMatchObject({
      ok: false,
      code: 'SELF_APPROVAL',
    });
    const single = ok(await service(store, 'single').approve(reviewer, submitted.id, submitted.version));
    expect(single.revisions[0]).toMatchObject({ preparedBy: 'li', approvedBy: null });
  });

  it('gives each new item its own slug, also against items already in the store', async () => {
    const store = await fileStore();
    const slugs = [];
    for (let i = 0; i < 3; i++) slugs.push(ok(await service(store).createDraft(editor, 'recalls', recall)).slug);
    expect(slugs).toEqual([`${SAMPLE_RECALL_SLUG}-2`, `${SAMPLE_RECALL_SLUG}-3`, `${SAMPLE_RECALL_SLUG}-4`]);
  });

  it('refuses a command naming a version someone else has already changed', async () => {
    const store = await fileStore();
    const publishing = service(store);
    const draft = ok(await publishing.createDraft(editor, 'recalls', recall));
    ok(await publishing.editDraft(editor, draft.id, draft.version, { data: { ...recall, quantity: '1300 台' } }));
    const stale = await publishing.submitForReview(editor, draft.id, draft.version);
    expect(stale).toMatchObject({ ok: false, code: 'VERSION_CONFLICT' });
    expect((await store.publications.get(draft.id))?.draft).toMatchObject({ stage: 'editing' });
  });

  it('honours token scopes under the review policy, and refuses revoked tokens', async () => {
    const store = await fileStore();
    const draft = ok(await service(store).createDraft(token(['drafts:create', 'publish']), 'recalls', recall));
    expect(draft.draft?.preparedBy).toBe('token:jianguan');
    expect(await service(store).approve(token(['drafts:create', 'publish']), draft.id, draft.version)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(
      await service(store).createDraft(token(['drafts:create'], '2027-03-01T00:00:00Z'), 'recalls', recall),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const published = ok(await service(store, 'single').approve(token(['publish']), draft.id, draft.version));
    expect(published.revisions).toHaveLength(1);
  });

  it('leaves the public site and the draft as they were when the store cannot save', async () => {
    const store = await fileStore();
    const publishing = service(store);
    const draft = ok(await publishing.createDraft(editor, 'recalls', recall));
    const submitted = ok(await publishing.submitForReview(editor, draft.id, draft.version));
    const versionBefore = await store.publications.contentVersion();

    const failing = service(withFailingSaves(store));
    expect(await failing.approve(reviewer, submitted.id, submitted.version)).toMatchObject({
      ok: false,
      code: 'STORE_UNAVAILABLE',
    });
    expect(await store.publications.listPublic()).toEqual([]);
    expect(await store.publications.contentVersion()).toBe(versionBefore);
    const kept = await store.publications.get(draft.id);
    expect(kept?.version).toBe(submitted.version);
    expect(kept?.draft).toEqual(submitted.draft);

    // The same approval goes through once the store is back.
    expect(ok(await publishing.approve(reviewer, submitted.id, submitted.version)).revisions).toHaveLength(1);
    const entries = await auditOf(store, `recalls/${draft.slug}`);
    expect(entries).toContainEqual({ actor: 'li', action: 'publication.approve', outcome: 'failed' });
  });

  it('keeps attachments whose bytes are a document, and refuses others', async () => {
    const store = await fileStore();
    const publishing = service(store);
    const draft = ok(await publishing.createDraft(editor, 'recalls', recall));
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    expect(
      await publishing.addAttachment(editor, draft.id, draft.version, { name: '公告.pdf', content: html }),
    ).toMatchObject({ ok: false, code: 'ATTACHMENT_TYPE_REFUSED' });
    expect(
      await publishing.addAttachment(editor, draft.id, draft.version, {
        name: '大.pdf',
        content: Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024)]),
      }),
    ).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('20 MB') });
    const attached = ok(
      await publishing.addAttachment(editor, draft.id, draft.version, { name: 'D:\\公告 原件.doc', content: pdf }),
    );
    expect(attached.attachments).toHaveLength(1);
    expect(attached.attachments[0]).toMatchObject({ fileName: '公告 原件.pdf', mediaType: 'application/pdf' });
    const stored = await store.attachments.get(attached.attachments[0]!.id);
    expect(stored?.content.equals(pdf)).toBe(true);
  });
});

/** The store with some methods of its publications port replaced. */
function withPublications(store: Store, overrides: Partial<Store['publications']>): Store {
  const bound = <T extends object>(target: T, property: string | symbol) => {
    const value: unknown = Reflect.get(target, property);
    return typeof value === 'function' ? value.bind(target) : value;
  };
  const publications = new Proxy(store.publications, {
    get: (target, property) =>
      property in overrides ? overrides[property as keyof typeof overrides] : bound(target, property),
  });
  return new Proxy(store, {
    get: (target, property) => (property === 'publications' ? publications : bound(target, property)),
  });
}

/** The store, except that every publication save fails the way a full disk or a lost database does. */
function withFailingSaves(store: Store): Store {
  return withPublications(store, { save: () => Promise.reject(new StoreUnavailableError('磁盘已满（测试）')) });
}

/** Each store's listDue answers only once all `count` callers have asked: every round sees the draft due. */
function withListDueBarrier(stores: readonly Store[], count: number): Store[] {
  let waiting = 0;
  let release!: () => void;
  const allAsked = new Promise<void>((resolve) => (release = resolve));
  return stores.map((store) =>
    withPublications(store, {
      listDue: async (now: string) => {
        const due = await store.publications.listDue(now);
        waiting += 1;
        if (waiting === count) release();
        await allAsked;
        return due;
      },
    }),
  );
}

describe('the scheduler on PostgreSQL with several processes', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('publishes a due draft exactly once, whichever processes run at the same moment', async () => {
    const url = await server.createDatabase();
    const stores: Store[] = await Promise.all(
      [1, 2, 3].map(() =>
        PgStore.open({ connectionString: url, poolSize: 4, command: 'scheduler test', log: () => undefined }),
      ),
    );
    opened.push(...stores);
    const first = stores[0]!;
    const publishing = service(first);
    const draft = ok(await publishing.createDraft(editor, 'recalls', recall));
    const submitted = ok(await publishing.submitForReview(editor, draft.id, draft.version));
    const scheduled = ok(
      await publishing.approve(reviewer, submitted.id, submitted.version, {
        scheduledFor: '2027-03-15T12:00:00+08:00',
      }),
    );
    expect(scheduled.draft?.stage).toBe('scheduled');
    expect((await service(first).publishDue()).published).toEqual([]);

    clock.set(new Date('2027-03-15T04:00:01Z'));
    // Six rounds (two per process) all find the draft due before any of them saves.
    const racing = withListDueBarrier([...stores, ...stores], 6);
    const rounds = await Promise.all(racing.map((store) => service(store).publishDue()));
    expect(rounds.map((round) => round.published.length).reduce((a, b) => a + b, 0)).toBe(1);
    expect(rounds.every((round) => round.failed === 0)).toBe(true);

    const after = await first.publications.get(draft.id);
    expect(after?.revisions).toHaveLength(1);
    expect(after?.revisions[0]).toMatchObject({ approvedBy: 'li', publishedAt: '2027-03-15T04:00:01.000Z' });
    expect(after?.draft).toBeNull();
    const published = (await first.audit.list({ limit: 50, offset: 0 })).entries.filter(
      (entry) => entry.action === 'publication.publish',
    );
    expect(published.map((entry) => entry.actor)).toEqual([SCHEDULER_ACTOR]);
  });
});
