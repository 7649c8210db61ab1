/**
 * The staff announcement pages over HTTP against the real built server: who may see drafts and
 * previews, the framing exception of the preview frame, CSRF and origin on every write (forms and
 * uploads), and the spreadsheet upload's limits — every refused upload answers with its message and
 * saves nothing.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';
import { createDraft, draftPath, FACTS, pageText, upload, versionOf, xlsx } from './announcement-drafts';

let server: RunningServer;
let admin: StaffClient;
let editor: StaffClient;
let otherEditor: StaffClient;
let reviewer: StaffClient;

const HEADER = ['产品名称', '商标', '规格型号', '生产日期/批号', '标称生产企业', '被抽样单位', '不合格项目'];

async function newStaff(username: string, role: string): Promise<StaffClient> {
  const created = (await (await admin.postJson('/api/admin/users', { username, role })).json()) as {
    password: string;
  };
  const client = new StaffClient(server.url);
  expect((await client.login(username, created.password)).status).toBe(303);
  return client;
}

const csv = (rows: string[][]) => rows.map((row) => row.join(',')).join('\r\n');

/** One step of the review (submit, approve, withdraw, …), as the page's buttons send it. */
async function step(client: StaffClient, id: string, workflow: string, fields: Record<string, string> = {}) {
  return client.postForm(draftPath(id), { workflow, version: await versionOf(client, id), ...fields });
}

/** A draft with a valid table, submitted for review by its editor. */
async function submittedDraft(client: StaffClient): Promise<string> {
  const id = await createDraft(client);
  const file = { bytes: Buffer.from(csv([HEADER, ['电线', '', '', '', '', '', '导体电阻']])), name: 'a.csv' };
  const form = new FormData();
  form.set('csrfToken', client.csrfToken);
  form.set('action', 'upload');
  form.set('version', await versionOf(client, id));
  form.set('file', new Blob([new Uint8Array(file.bytes)]), file.name);
  expect((await client.request(draftPath(id), { method: 'POST', body: form })).status).toBe(200);
  expect((await step(client, id, 'submit')).status).toBe(200);
  return id;
}

beforeAll(async () => {
  server = await startServer({ env: { ADMIN_PASSWORD } });
  admin = new StaffClient(server.url);
  expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(303);
  editor = await newStaff('editor-one', 'editor');
  otherEditor = await newStaff('editor-two', 'editor');
  reviewer = await newStaff('reviewer-one', 'reviewer');
});

afterAll(async () => {
  await server?.stop();
});

describe('drafts and previews are for staff only', () => {
  it('sends anonymous visitors to the login page from the list, a draft, its preview and its frame', async () => {
    const id = await createDraft(editor);
    for (const path of [
      '/admin/announcements/',
      draftPath(id),
      `${draftPath(id)}preview/`,
      `${draftPath(id)}preview/frame/`,
    ]) {
      const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toMatch(/^\/admin\/login\//);
    }
  });

  it('refuses an anonymous new draft', async () => {
    const anonymous = new StaffClient(server.url);
    const response = await anonymous.postForm('/admin/announcements/new/', FACTS);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/admin\/login\//);
  });

  it('lets only the preview frame be framed, and only by the portal itself', async () => {
    const id = await createDraft(editor);
    const frame = await editor.request(`${draftPath(id)}preview/frame/`);
    expect(frame.status).toBe(200);
    expect(frame.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(frame.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(frame.headers.get('content-security-policy')).not.toContain("frame-ancestors 'none'");
    expect(await frame.text()).toContain(FACTS.title);
    for (const path of [`${draftPath(id)}preview/`, draftPath(id), '/announcements/']) {
      const response = await editor.request(path);
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
  });
});

describe('every write checks CSRF and origin', () => {
  it('refuses a facts form without the CSRF token and from another site, and saves nothing', async () => {
    const id = await createDraft(editor);
    const changed = { ...FACTS, action: 'facts', version: await versionOf(editor, id), title: '被篡改的标题' };
    const noToken = await editor.request(draftPath(id), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(changed).toString(),
    });
    expect(noToken.status).toBe(403);
    const crossSite = await editor.request(draftPath(id), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ ...changed, csrfToken: editor.csrfToken }).toString(),
    });
    expect(crossSite.status).toBe(403);
    expect(await pageText(editor, id)).not.toContain('被篡改的标题');
  });

  it("refuses an upload without the token, or with another staff member's", async () => {
    const id = await createDraft(editor);
    const file = { bytes: Buffer.from(csv([HEADER, ['电线', '', '', '', '', '', '导体电阻']])), name: 'a.csv' };
    expect((await upload(editor, id, file, {}, null)).status).toBe(403);
    expect((await upload(editor, id, file, {}, otherEditor.csrfToken)).status).toBe(403);
    expect(await pageText(editor, id)).toContain('表格还是空的');
  });

  it('refuses the new-announcement form from another site', async () => {
    const response = await editor.request('/admin/announcements/new/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ ...FACTS, csrfToken: editor.csrfToken }).toString(),
    });
    expect(response.status).toBe(403);
  });
});

describe('the facts form', () => {
  it('answers 400 with every field error in Chinese and keeps what was typed', async () => {
    const response = await editor.postForm('/admin/announcements/new/', {
      ...FACTS,
      title: '',
      batchesSampled: '2',
      batchesFailed: '3',
      summary: '保留的抽查情况',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('请填写公告标题。');
    expect(html).toContain('不合格批次数不能大于抽查批次数。');
    expect(html).toContain('保留的抽查情况');
  });
});

describe('uploading the failed-products table', () => {
  it('saves a real .xlsx written by exceljs', async () => {
    const id = await createDraft(editor);
    const bytes = await xlsx([
      HEADER,
      ['聚氯乙烯绝缘电缆', '甲牌', 'BV 2.5', '2025-01-06', '某厂', '某店', '导体电阻'],
    ]);
    const response = await upload(editor, id, { bytes, name: '不合格产品.xlsx' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('1 个不合格产品');
    expect(await pageText(editor, id)).toContain('value="聚氯乙烯绝缘电缆"');
  });

  it('reads a GBK csv', async () => {
    const id = await createDraft(editor);
    const bytes = iconv.encode(
      csv([HEADER, ['铜芯电线', '乙牌', 'BVR 4', '2025-01-10', '某线缆厂', '某市场', '绝缘厚度']]),
      'gbk',
    );
    const response = await upload(editor, id, { bytes, name: 'gbk.csv' });
    expect(response.status).toBe(200);
    expect(await pageText(editor, id)).toContain('value="铜芯电线"');
  });

  it('answers 422 with 第 N 行 for a bad cell, lists every problem at once, and saves nothing', async () => {
    const id = await createDraft(editor);
    const bytes = await xlsx([
      HEADER,
      ['电线甲', '', '', '', '', '', '导体电阻'],
      ['电线乙', '', '', '', '', '', ''],
      ['', '', '', '', '', '', '绝缘厚度'],
    ]);
    const response = await upload(editor, id, { bytes, name: 'bad.xlsx' });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('第 3 行');
    expect(html).toContain('「不合格项目」');
    expect(html).toContain('第 4 行');
    expect(html).toContain('「产品名称」');
    expect(await pageText(editor, id)).toContain('表格还是空的');
  });

  it('refuses a file that is not a spreadsheet, and one over the size limit, saving nothing', async () => {
    const id = await createDraft(editor);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const notSheet = await upload(editor, id, { bytes: png, name: '表格.xlsx' });
    expect(notSheet.status).toBe(422);
    expect(await notSheet.text()).toMatch(/不是|无法读取/);
    const big = await upload(editor, id, { bytes: Buffer.alloc(22 * 1024 * 1024, 0x41), name: 'big.csv' });
    expect(big.status).toBe(413);
    expect(await pageText(editor, id)).toContain('表格还是空的');
  });

  it('refuses a table over the row cap', async () => {
    const id = await createDraft(editor);
    const rows = Array.from({ length: 5001 }, (_, index) => [`产品${index}`, '', '', '', '', '', '标志']);
    const response = await upload(editor, id, { bytes: Buffer.from(csv([HEADER, ...rows])), name: 'long.csv' });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('5000 行');
    expect(await pageText(editor, id)).toContain('表格还是空的');
  });

  it('keeps a table with an unknown column aside until staff say what it holds', async () => {
    const id = await createDraft(editor);
    const bytes = await xlsx([
      ['产品名称', '受检单位', '不合格项目'],
      ['电线丙', '某五金店', '导体电阻'],
    ]);
    const response = await upload(editor, id, { bytes, name: 'mapping.xlsx' });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('受检单位');
    expect(await pageText(editor, id)).toContain('表格还是空的');
    const uploadId = /name="uploadId" value="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(uploadId).not.toBe('');
    // Only the staff member who uploaded it may use it.
    const version = await versionOf(editor, id);
    const stolen = await otherEditor.postForm(draftPath(id), {
      action: 'map-columns',
      version,
      uploadId,
      'columnHeader-2': '受检单位',
      'columnTarget-2': 'sampledUnit',
    });
    expect(stolen.status).toBe(422);
    const mapped = await editor.postForm(draftPath(id), {
      action: 'map-columns',
      version,
      uploadId,
      'columnHeader-2': '受检单位',
      'columnTarget-2': 'sampledUnit',
    });
    expect(mapped.status).toBe(200);
    expect(await pageText(editor, id)).toContain('value="某五金店"');
  });
});

describe('review before publication', () => {
  it('refuses approval to the editor who prepared the draft and to another editor: only reviewers approve', async () => {
    const id = await submittedDraft(editor);
    for (const client of [editor, otherEditor]) {
      const refusedApproval = await step(client, id, 'approve');
      expect(refusedApproval.status).toBe(403);
      expect(await refusedApproval.text()).toContain('没有执行此操作的权限');
    }
    expect(await pageText(editor, id)).toContain('待审核');
  });

  it('refuses a reviewer their own draft in two-person review, and lets another reviewer publish it', async () => {
    const id = await submittedDraft(reviewer);
    const own = await step(reviewer, id, 'approve');
    expect(own.status).toBe(403);
    expect(await own.text()).toContain('不能审核通过自己编写或修改的内容');
    expect(await pageText(reviewer, id)).toContain('待审核');
    const byAdmin = await step(admin, id, 'approve');
    expect(byAdmin.status).toBe(200);
    expect(await byAdmin.text()).toContain('已审核通过并发布');
  });

  it('lets only reviewers withdraw, with a reason', async () => {
    const id = await submittedDraft(editor);
    expect((await step(reviewer, id, 'approve')).status).toBe(200);
    expect((await step(editor, id, 'withdraw', { reason: '编辑想撤回' })).status).toBe(403);
    expect((await step(reviewer, id, 'withdraw', { reason: '' })).status).toBe(400);
    const withdrawn = await step(reviewer, id, 'withdraw', { reason: '复检结果有异议' });
    expect(withdrawn.status).toBe(200);
    expect(await pageText(editor, id)).toContain('复检结果有异议');
  });

  it('refuses anonymous review steps, a stale form, and approval without the CSRF token', async () => {
    const id = await submittedDraft(editor);
    const version = await versionOf(reviewer, id);
    const anonymous = new StaffClient(server.url);
    const refusedAnonymous = await anonymous.postForm(draftPath(id), { workflow: 'approve', version });
    expect(refusedAnonymous.status).toBe(303);
    const noToken = await reviewer.request(draftPath(id), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ workflow: 'approve', version }).toString(),
    });
    expect(noToken.status).toBe(403);
    const stale = await reviewer.postForm(draftPath(id), { workflow: 'approve', version: String(Number(version) - 1) });
    expect(stale.status).toBe(409);
    expect(await pageText(reviewer, id)).toContain('待审核');
  });
});

describe('attachments', () => {
  async function attach(client: StaffClient, id: string, bytes: Uint8Array, name: string) {
    const form = new FormData();
    form.set('csrfToken', client.csrfToken);
    form.set('action', 'attach');
    form.set('version', await versionOf(client, id));
    form.set('file', new Blob([new Uint8Array(bytes)]), name);
    return client.request(draftPath(id), { method: 'POST', body: form });
  }

  it('lists an uploaded PDF with its size and type, and refuses a file that only claims to be one', async () => {
    const id = await createDraft(editor);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
    const added = await attach(editor, id, pdf, '公告原件.pdf');
    expect(added.status).toBe(200);
    const html = await pageText(editor, id);
    expect(html).toContain('公告原件.pdf');
    expect(html).toContain('<td>PDF</td>');
    expect(html).toContain(`${pdf.byteLength} B`);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const refusedType = await attach(editor, id, png, '伪装.pdf');
    expect(refusedType.status).toBe(415);
    expect(await pageText(editor, id)).not.toContain('伪装');
  });
});
