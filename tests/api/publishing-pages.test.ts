/**
 * The recall and explanation staff pages and the attachment downloads against the real built
 * server: who may see and do what (anonymous, editor, reviewer), CSRF on every write, field errors,
 * two-person review, withdrawal, and downloads that are only ever downloads of published items.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClockStart } from '../../src/lib/time/clock';
import { PublishingService } from '../../src/server/publishing/service';
import { FileStore } from '../../src/server/store/file-store';
import { TEST_CLOCK_START } from '../support/clock';
import { startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

const recallForm = {
  company: '上海示例电器有限公司',
  product: '电热暖手器',
  models: 'NST-60',
  quantity: '1200 台',
  dateIso: '2027-03-10',
  region: '上海市',
  sourceUrl: 'https://example.gov.cn/recall.html',
};

const seededRecall = {
  title: '示例公司召回电暖器（示例）',
  date: { text: '2027-03-01', iso: '2027-03-01', year: 2027 },
  company: '示例公司',
  product: '电暖器',
  source: { url: 'https://example.gov.cn/seed.html' },
  example: true,
};

/** Attachments seeded before the server starts: of a published, a draft-only and a withdrawn recall. */
interface Seeded {
  published: { id: string; fileName: string };
  draftOnly: { id: string; fileName: string };
  withdrawn: { id: string; fileName: string };
}

async function seed(dataDir: string): Promise<Seeded> {
  const store = await FileStore.open({ dataDir, command: 'seed', log: () => undefined });
  const now = parseClockStart(TEST_CLOCK_START);
  const publishing = new PublishingService({
    store,
    policy: 'two-person',
    now: () => now,
    sampleSlugs: async () => new Set(),
  });
  const editor = { staff: { username: 'seed-editor', role: 'editor' as const } };
  const reviewer = { staff: { username: 'seed-reviewer', role: 'reviewer' as const } };
  const attach = async (name: string, publish: boolean) => {
    const created = await publishing.createDraft(editor, 'recalls', seededRecall);
    if (!created.ok) throw new Error(created.message);
    let record = created.publication;
    const attached = await publishing.addAttachment(editor, record.id, record.version, { name, content: PDF });
    if (!attached.ok) throw new Error(attached.message);
    record = attached.publication;
    if (publish) {
      const submitted = await publishing.submitForReview(editor, record.id, record.version);
      if (!submitted.ok) throw new Error(submitted.message);
      const approved = await publishing.approve(reviewer, record.id, submitted.publication.version);
      if (!approved.ok) throw new Error(approved.message);
      record = approved.publication;
    }
    return record;
  };
  const published = await attach('召回公告 原件.pdf', true);
  const draftOnly = await attach('草稿附件.pdf', false);
  const toWithdraw = await attach('撤回附件.pdf', true);
  const withdrawn = await publishing.withdraw(reviewer, toWithdraw.id, toWithdraw.version, '信息有误');
  if (!withdrawn.ok) throw new Error(withdrawn.message);
  await store.close();
  const ref = (record: { attachments: { id: string; fileName: string }[] }) => record.attachments[0]!;
  return { published: ref(published), draftOnly: ref(draftOnly), withdrawn: ref(withdrawn.publication) };
}

let server: RunningServer;
let seeded: Seeded;
let admin: StaffClient;
let editor: StaffClient;
let reviewer: StaffClient;

const oneTimePassword = (html: string) => /data-testid="one-time-password"[^>]*>([^<]+)</.exec(html)?.[1] ?? '';

async function account(username: string, role: 'editor' | 'reviewer'): Promise<StaffClient> {
  const created = await admin.postForm('/admin/users/', { action: 'create', username, role });
  expect(created.status).toBe(200);
  const client = new StaffClient(server.url);
  expect((await client.login(username, oneTimePassword(await created.text()))).status).toBe(303);
  return client;
}

/** Creates a recall draft through the new-item form; returns its id. */
async function draftRecall(client: StaffClient, fields: Record<string, string> = recallForm): Promise<string> {
  const response = await client.postForm('/admin/recalls/new/', fields);
  expect(response.status).toBe(303);
  const location = response.headers.get('location') ?? '';
  const id = /^\/admin\/recalls\/([^/]+)\/\?created=1$/.exec(location)?.[1];
  expect(id).toBeTruthy();
  return id as string;
}

/** The version the item's page shows in its forms. */
async function versionOf(client: StaffClient, id: string): Promise<string> {
  const html = await (await client.request(`/admin/recalls/${id}/`)).text();
  return /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
}

async function workflow(client: StaffClient, id: string, action: string, extra: Record<string, string> = {}) {
  const version = await versionOf(client, id);
  return client.postForm(`/admin/recalls/${id}/`, { workflow: action, version, ...extra });
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'publishing-pages-'));
  seeded = await seed(dataDir);
  server = await startServer({ dataDir, env: { ADMIN_PASSWORD } });
  admin = new StaffClient(server.url);
  expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(303);
  editor = await account('bianji', 'editor');
  reviewer = await account('shenhe', 'reviewer');
});

afterAll(async () => {
  await server?.stop();
});

describe('who may see and do what', () => {
  it('sends anonymous visitors to the login page, from lists, drafts and the review queue', async () => {
    const anonymous = new StaffClient(server.url);
    const id = await draftRecall(editor);
    for (const path of ['/admin/recalls/', '/admin/explanations/new/', `/admin/recalls/${id}/`, '/admin/review/']) {
      const response = await anonymous.request(path);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/admin\/login\//);
    }
    const write = await anonymous.request(`/admin/recalls/${id}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ workflow: 'approve', version: '1' }).toString(),
    });
    expect(write.status).toBe(303);
  });

  it('refuses a write without the page’s CSRF token or from another site', async () => {
    const id = await draftRecall(editor);
    const version = await versionOf(editor, id);
    const forged = await editor.request(`/admin/recalls/${id}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ workflow: 'submit', version, csrfToken: 'forged' }).toString(),
    });
    expect(forged.status).toBe(403);
    const crossSite = await editor.request(`/admin/recalls/${id}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ workflow: 'submit', version, csrfToken: editor.csrfToken }).toString(),
    });
    expect(crossSite.status).toBe(403);
    expect(await versionOf(editor, id)).toBe(version);
  });

  it('lets an editor submit but not approve, a reviewer not approve their own, and another reviewer publish', async () => {
    const id = await draftRecall(editor);
    expect((await workflow(editor, id, 'submit')).status).toBe(200);
    const byEditor = await workflow(editor, id, 'approve');
    expect(byEditor.status).toBe(403);
    expect(await byEditor.text()).toContain('没有执行此操作的权限');

    const own = await draftRecall(reviewer, { ...recallForm, company: '审核人自己的公司' });
    expect((await workflow(reviewer, own, 'submit')).status).toBe(200);
    const self = await workflow(reviewer, own, 'approve');
    expect(self.status).toBe(403);
    expect(await self.text()).toContain('不能审核通过自己编写或修改的内容');

    const approved = await workflow(reviewer, id, 'approve');
    expect(approved.status).toBe(200);
    const html = await approved.text();
    expect(html).toContain('已审核通过并发布。');
    expect(html).toMatch(/href="\/recalls\/2027-shang-hai-shi-li-[^"]*\/"/);

    const { entries } = (await (await admin.request('/api/admin/audit?limit=50')).json()) as {
      entries: { actor: string; action: string; outcome: string }[];
    };
    expect(entries).toContainEqual(
      expect.objectContaining({ actor: 'bianji', action: 'publication.approve', outcome: 'denied' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ actor: 'shenhe', action: 'publication.approve', outcome: 'ok' }),
    );
  });
});

describe('the forms', () => {
  it('answer a refused draft with 400, every field’s error and what was typed', async () => {
    const response = await editor.postForm('/admin/recalls/new/', { company: '只填了企业', sourceUrl: 'no' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('<a href="#product">请填写召回产品。</a>');
    expect(html).toContain('<a href="#sourceUrl">');
    expect(html).toContain('value="只填了企业"');
  });

  it('create and edit an explanation', async () => {
    const created = await editor.postForm('/admin/explanations/new/', {
      testItem: '甲醛含量',
      aliases: '甲醛、游离甲醛',
      category: '纺织品',
      sourceUrl: 'https://example.gov.cn/jiedu.html',
    });
    expect(created.status).toBe(303);
    const page = await editor.request(created.headers.get('location') ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('草稿已创建');
  });

  it('refuse a stale version with 409 and keep the draft', async () => {
    const id = await draftRecall(editor);
    const version = await versionOf(editor, id);
    expect(
      (await editor.postForm(`/admin/recalls/${id}/`, { ...recallForm, version, quantity: '1300 台' })).status,
    ).toBe(200);
    const stale = await editor.postForm(`/admin/recalls/${id}/`, { ...recallForm, version, quantity: '9 台' });
    expect(stale.status).toBe(409);
    const html = await (await editor.request(`/admin/recalls/${id}/`)).text();
    expect(html).toContain('value="1300 台"');
  });

  it('withdraw only with a public reason', async () => {
    const id = await draftRecall(editor, { ...recallForm, company: '将被撤回的公司' });
    await workflow(editor, id, 'submit');
    await workflow(reviewer, id, 'approve');
    const noReason = await workflow(reviewer, id, 'withdraw', { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('请填写撤回原因');
    const withdrawn = await workflow(reviewer, id, 'withdraw', { reason: '企业信息有误。' });
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.text()).toContain('已撤回');
  });

  it('list what waits for review, longest waiting first, a page at a time', async () => {
    // One more than a page (REVIEW_QUEUE_PAGE_SIZE, 30): the last one submitted is on the next page.
    const ids: string[] = [];
    for (let index = 1; index <= 31; index++) {
      const id = await draftRecall(editor, { ...recallForm, company: `待审核队列公司${index}号` });
      await workflow(editor, id, 'submit');
      ids.push(id);
    }
    const first = await (await reviewer.request('/admin/review/')).text();
    expect(first).toContain(`href="/admin/recalls/${ids[0]}/"`);
    expect(first).toContain('待审核队列公司1号召回电热暖手器');
    expect(first).not.toContain(`href="/admin/recalls/${ids[30]}/"`);
    const total = Number(/待审核（(\d+)）/.exec(first)?.[1]);
    expect(total).toBeGreaterThanOrEqual(31);
    expect(first).toContain(`第 1 页，共 ${Math.ceil(total / 30)} 页`);
    const next = /<a [^>]*rel="next" href="([^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBe('/admin/review/?waiting=2#waiting');
    const second = await (await reviewer.request(next!)).text();
    expect(second).toContain(`href="/admin/recalls/${ids[30]}/"`);
    expect(second).not.toContain(`href="/admin/recalls/${ids[0]}/"`);
  });
});

describe('attachments on the explanation and recall pages', () => {
  /** The attachment form as the page sends it: multipart, action=attach, the version it was shown with. */
  async function attach(
    client: StaffClient,
    path: string,
    file: { bytes: Uint8Array; name: string } | null,
    csrfToken: string | null = client.csrfToken,
  ) {
    const html = await (await client.request(path)).text();
    const form = new FormData();
    if (csrfToken !== null) form.set('csrfToken', csrfToken);
    form.set('action', 'attach');
    form.set('version', /name="version" value="(\d+)"/.exec(html)?.[1] ?? '');
    form.set('file', file ? new Blob([new Uint8Array(file.bytes)]) : new Blob([]), file?.name ?? '');
    return client.request(path, { method: 'POST', body: form });
  }

  /** Submits, approves and returns the public address the staff page then links to. */
  async function publish(path: string): Promise<string> {
    for (const [client, step] of [
      [editor, 'submit'],
      [reviewer, 'approve'],
    ] as const) {
      const html = await (await client.request(path)).text();
      const version = /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
      expect((await client.postForm(path, { workflow: step, version })).status).toBe(200);
    }
    const html = await (await reviewer.request(path)).text();
    const publicPath = /公开页面：<a href="([^"]+)"/.exec(html)?.[1];
    expect(publicPath).toMatch(/^\/(recalls|explanations)\/.+\/$/);
    return publicPath!;
  }

  /** The public page offers the file as a download link, and the link gives these very bytes. */
  async function expectDownload(publicPath: string, fileName: string, bytes: Buffer) {
    const html = await (await fetch(`${server.url}${publicPath}`)).text();
    expect(html).toContain('附件下载');
    const href = new RegExp(`href="(/attachments/[^"/]+/${encodeURIComponent(fileName)})"`).exec(html)?.[1];
    expect(href, `${publicPath} links ${fileName}`).toBeDefined();
    expect(html).toContain(`（PDF，${bytes.byteLength} B）`);
    const download = await fetch(`${server.url}${href}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  }

  it('a recall takes the original document, refuses what is not one, and offers it on its public page', async () => {
    const path = `/admin/recalls/${await draftRecall(editor, { ...recallForm, company: '附件示例公司' })}/`;
    expect((await attach(editor, path, { bytes: PDF, name: '召回公告.pdf' }, null)).status).toBe(403);
    const empty = await attach(editor, path, null);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('请选择要上传的文件。');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const disguised = await attach(editor, path, { bytes: png, name: '伪装.pdf' });
    expect(disguised.status).toBe(415);
    expect(await disguised.text()).toContain('href="#attachment-file"');
    const tooBig = await attach(editor, path, { bytes: Buffer.alloc(21 * 1024 * 1024, 0x25), name: '大文件.pdf' });
    expect(tooBig.status).toBe(413);
    const added = await attach(editor, path, { bytes: PDF, name: '召回公告.pdf' });
    expect(added.status).toBe(200);
    const html = await added.text();
    expect(html).toContain('已上传附件「召回公告.pdf」。');
    expect(html).toContain('<th scope="row">召回公告.pdf</th>');
    expect(html).not.toContain('伪装');
    // A draft's file is not public yet.
    const [, draftHref] = /\/attachments\/(f_[^/"]+)\//.exec(html) ?? [];
    expect(draftHref).toBeUndefined();
    await expectDownload(await publish(path), '召回公告.pdf', PDF);
  });

  it('an explanation takes a document too, offered on its public page once published', async () => {
    const created = await editor.postForm('/admin/explanations/new/', {
      testItem: '附件测试项目',
      category: '纺织品',
      sourceUrl: 'https://example.gov.cn/jiedu-attachment.html',
    });
    expect(created.status).toBe(303);
    const path = (created.headers.get('location') ?? '').replace(/\?created=1$/, '');
    expect((await attach(editor, path, { bytes: PDF, name: '标准节选.pdf' })).status).toBe(200);
    await expectDownload(await publish(path), '标准节选.pdf', PDF);
  });
});

describe('attachment downloads', () => {
  const path = (ref: { id: string; fileName: string }) => `/attachments/${ref.id}/${encodeURIComponent(ref.fileName)}`;

  it('are always downloads of the stored type, never sniffed or run', async () => {
    const response = await fetch(`${server.url}${path(seeded.published)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="____ __.pdf"; filename*=UTF-8''${encodeURIComponent('召回公告 原件.pdf')}`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(Buffer.from(await response.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('lead a wrong name to the one address of the file', async () => {
    const response = await fetch(`${server.url}/attachments/${seeded.published.id}/other.pdf`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(path(seeded.published));
  });

  it('are not served for drafts, withdrawn items or unknown ids', async () => {
    for (const ref of [seeded.draftOnly, seeded.withdrawn, { id: 'nope', fileName: 'x.pdf' }]) {
      const response = await fetch(`${server.url}${path(ref)}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-disposition')).toBeNull();
    }
  });
});
