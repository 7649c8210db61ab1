/**
 * The machine interface (/api/v1/) against the real built server, on the file store and on
 * PostgreSQL: tokens issued on the admin page, drafts created from JSON rows and from an .xlsx,
 * every refusal, and every answer checked against the OpenAPI file the server serves.
 */
import { validate as validateOpenApi } from '@readme/openapi-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { request as httpRequest } from 'node:http';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { startServer, type RunningServer } from '../support/server';
import { ADMIN_PASSWORD, StaffClient } from './admin-client';

interface OpenApi {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
  components: { schemas: Record<string, object> };
}

const FACTS = {
  title: '示例：2026年某区电线电缆产品质量监督抽查结果',
  issuer: '示例区市场监督管理局',
  date: { text: '2026-11-20', iso: '2026-11-20', year: 2026 },
  category: '电线电缆',
  region: '示例区',
  batches: { sampled: 20, failed: 2 },
  source: { url: 'https://example.org/2026/wires.html', note: '接口测试用示例' },
  example: true,
};

const ROWS = [
  {
    productName: '聚氯乙烯绝缘电线',
    brand: '示例牌',
    modelSpec: 'BV 2.5',
    batchOrDate: '2026-01-08',
    manufacturer: '示例电缆有限公司',
    sampledUnit: '示例五金店',
    failedItems: [{ text: '导体电阻（实测8.12Ω/km）' }],
    inspectionBody: '示例检测中心',
  },
  { productName: '软电线', failedItems: '绝缘厚度；护套厚度' },
];

async function workbook(rows: unknown[][]): Promise<Blob> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('不合格产品');
  for (const row of rows) sheet.addRow(row);
  return new Blob([await book.xlsx.writeBuffer()], {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
}

function multipart(file: Blob, facts: unknown, name = '不合格产品.xlsx'): FormData {
  const form = new FormData();
  form.set('facts', JSON.stringify(facts));
  form.set('file', file, name);
  return form;
}

/**
 * A request as a server-side client sends it (no Sec-Fetch-* headers: Node's fetch adds them as a
 * browser would, and the edge then rightly asks for an Origin). The body is encoded by `Request`.
 */
async function machineFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const encoded = new Request(url, init);
  const body = Buffer.from(await encoded.arrayBuffer());
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      url,
      { method: encoded.method, headers: Object.fromEntries(encoded.headers) },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(answer.headers)) {
            for (const item of [value ?? []].flat()) headers.append(name, item);
          }
          resolve(new Response(Buffer.concat(chunks), { status: answer.statusCode ?? 0, headers }));
        });
        answer.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(encoded.method === 'GET' ? undefined : body);
  });
}

/** The documented schema of an answer: the test fails when the server answers something undocumented. */
class Documented {
  private readonly ajv = new Ajv2020({ strict: false, validateFormats: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly spec: OpenApi) {
    this.ajv.addSchema({ $id: 'openapi', components: spec.components });
  }

  async check(path: string, method: string, response: Response): Promise<unknown> {
    const body: unknown = await response.json();
    const key = `${method} ${path} ${response.status}`;
    let validator = this.compiled.get(key);
    if (!validator) {
      const schema =
        this.spec.paths[path]?.[method]?.responses[String(response.status)]?.content?.['application/json']?.schema;
      if (!schema) throw new Error(`undocumented answer: ${key}`);
      // Refs point into the components registered as `openapi`.
      const rebased = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'),
      ) as object;
      validator = this.ajv.compile(rebased);
      this.compiled.set(key, validator);
    }
    if (!validator(body)) throw new Error(`${key} does not match its schema: ${this.ajv.errorsText(validator.errors)}`);
    return body;
  }
}

interface Status {
  id: string;
  slug: string;
  status: string;
  adminUrl: string;
  statusUrl: string;
  publicUrl: string | null;
  notice?: string;
}
interface Problems {
  error: { code: string; problems: Array<{ code: string; message: string; row: number | null; field: string | null }> };
}

async function issueToken(admin: StaffClient, name: string, scopes: string[]): Promise<string> {
  const page = await admin.postForm('/admin/tokens/', { action: 'create', name, scopes });
  expect(page.status).toBe(200);
  const secret = /data-testid="one-time-token"[^>]*>([^<]+)</.exec(await page.text())?.[1];
  if (!secret) throw new Error('no token shown');
  return secret;
}

function machineApiSuite(storeName: string, start: () => Promise<RunningServer>) {
  describe(`the machine interface on the ${storeName} (PUBLISH_REVIEW=single)`, { timeout: 60_000 }, () => {
    let server: RunningServer;
    let admin: StaffClient;
    let documented: Documented;
    let drafter = '';
    let publisher = '';

    const post = (secret: string | null, body: BodyInit, contentType?: string) =>
      machineFetch(`${server.url}/api/v1/announcements`, {
        method: 'POST',
        headers: {
          ...(secret ? { authorization: `Bearer ${secret}` } : {}),
          ...(contentType ? { 'content-type': contentType } : {}),
        },
        body,
      });
    const postJson = (secret: string | null, body: unknown) => post(secret, JSON.stringify(body), 'application/json');
    const status = (secret: string, id: string) =>
      machineFetch(`${server.url}/api/v1/announcements/${id}`, { headers: { authorization: `Bearer ${secret}` } });
    const check = (response: Response, path = '/api/v1/announcements', method = 'post') =>
      documented.check(path, method, response);

    beforeAll(async () => {
      server = await start();
      admin = new StaffClient(server.url);
      expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(303);
      const served = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApi & {
        openapi: string;
      };
      expect(served.openapi).toBe('3.1.0');
      const validation = await validateOpenApi(structuredClone(served) as never);
      expect(validation.valid ? [] : validation.errors).toEqual([]);
      documented = new Documented(served);
      drafter = await issueToken(admin, 'jianguan-drafts', ['drafts:create']);
      publisher = await issueToken(admin, 'jianguan-publish', ['drafts:create', 'publish']);
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('creates a draft from JSON rows, waiting for review, and tells its status to the token that sent it', async () => {
      const created = await postJson(drafter, { ...FACTS, failedProducts: ROWS });
      expect(created.status).toBe(201);
      const body = (await check(created)) as Status;
      expect(body.status).toBe('in_review');
      expect(new URL(body.adminUrl).pathname).toBe(`/admin/announcements/${body.id}/`);
      expect(created.headers.get('location')).toBe(body.statusUrl);
      expect(body.publicUrl).toBeNull();

      const read = await status(drafter, body.id);
      expect(read.status).toBe(200);
      expect(((await check(read, '/api/v1/announcements/{id}', 'get')) as Status).status).toBe('in_review');
      // Another token does not see it.
      const other = await status(publisher, body.id);
      expect(other.status).toBe(404);
      await check(other, '/api/v1/announcements/{id}', 'get');
    });

    it('publishes at once with publish: true and the publish scope', async () => {
      const created = await postJson(publisher, {
        ...FACTS,
        title: '示例：直接发布的公告',
        publish: true,
        failedProducts: ROWS,
      });
      expect(created.status).toBe(201);
      const body = (await check(created)) as Status;
      expect(body.status).toBe('published');
      expect(new URL(body.publicUrl ?? '').pathname).toBe(`/announcements/${body.slug}/`);
    });

    it('refuses publish: true without the publish scope (403), saving nothing', async () => {
      const refused = await postJson(drafter, { ...FACTS, publish: true, failedProducts: ROWS });
      expect(refused.status).toBe(403);
      expect(((await check(refused)) as Problems).error.code).toBe('SCOPE_MISSING');
    });

    it('creates a draft from an .xlsx with a column mapping, and from a GBK .csv', async () => {
      const xlsx = await workbook([
        ['2026年电线电缆不合格产品名单'],
        ['产品名称', '厂家', '不合格项目'],
        ['聚氯乙烯绝缘电线', '示例电缆有限公司', '导体电阻'],
      ]);
      const unmapped = await post(drafter, multipart(xlsx, FACTS));
      expect(unmapped.status).toBe(422);
      const problems = (await check(unmapped)) as Problems;
      expect(problems.error.problems.map((problem) => [problem.code, problem.row])).toEqual([['UNKNOWN_COLUMN', 2]]);

      const mapped = await post(drafter, multipart(xlsx, { ...FACTS, columnMapping: { 厂家: 'manufacturer' } }));
      expect(mapped.status).toBe(201);
      expect(((await check(mapped)) as Status).status).toBe('in_review');

      const csv = new Blob([new Uint8Array(iconv.encode('产品名称,不合格项目\n软电线,绝缘厚度\n', 'gbk'))], {
        type: 'text/csv',
      });
      const fromCsv = await post(drafter, multipart(csv, FACTS, '表.csv'));
      expect(fromCsv.status).toBe(201);
      await check(fromCsv);
    });

    it('answers every problem at once (422): facts, rows by 第 N 行, unknown explanations', async () => {
      const { title: _title, ...withoutTitle } = FACTS;
      const refused = await postJson(drafter, {
        ...withoutTitle,
        failedProducts: [
          { productName: '电线', failedItems: [{ text: '导体电阻', explanation: 'no-such-explanation' }] },
          { productName: '', failedItems: '结构' },
          { productName: '电缆', failedItems: '' },
        ],
      });
      expect(refused.status).toBe(422);
      const body = (await check(refused)) as Problems;
      expect(body.error.code).toBe('SUBMISSION_INVALID');
      const messages = body.error.problems.map((problem) => problem.message);
      expect(messages).toContain('第 2 行：「产品名称」为空');
      expect(messages).toContain('第 3 行：「不合格项目」为空');
      expect(body.error.problems.filter((problem) => problem.field === 'title')).toHaveLength(1);
      // The unknown explanation is only checked once the rows are otherwise good.
      const unknown = await postJson(drafter, {
        ...FACTS,
        failedProducts: [
          { productName: '电线', failedItems: [{ text: '导体电阻', explanation: 'no-such-explanation' }] },
        ],
      });
      expect(unknown.status).toBe(422);
      expect(((await check(unknown)) as Problems).error.problems).toEqual([
        {
          code: 'EXPLANATION_UNKNOWN',
          message: '第 1 行：不合格项目「导体电阻」链接的解读“no-such-explanation”不存在',
          row: 1,
          column: '不合格项目',
          value: 'no-such-explanation',
          field: null,
        },
      ]);
    });

    it('refuses a spreadsheet it cannot read (422) and firstPublishedAt sent by the client', async () => {
      const xls = new Blob([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)])]);
      const legacy = await post(drafter, multipart(xls, FACTS, '旧表.xls'));
      expect(legacy.status).toBe(422);
      const body = (await check(legacy)) as Problems;
      expect([body.error.code, body.error.problems[0]?.code]).toEqual(['SPREADSHEET_REFUSED', 'LEGACY_XLS']);

      const portalField = await postJson(drafter, { ...FACTS, firstPublishedAt: '2026-11-20', failedProducts: ROWS });
      expect(portalField.status).toBe(422);
      expect(((await check(portalField)) as Problems).error.problems[0]?.field).toBe('firstPublishedAt');
    });

    it('refuses no token, a wrong token, a revoked token (401), a missing scope (403), 413 and 415', async () => {
      const none = await postJson(null, FACTS);
      expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, expect.stringContaining('Bearer')]);
      expect(((await check(none)) as Problems).error.code).toBe('TOKEN_REQUIRED');
      const wrong = await postJson('not-a-token', FACTS);
      expect(wrong.status).toBe(401);
      expect(((await check(wrong)) as Problems).error.code).toBe('TOKEN_INVALID');

      const readOnly = await issueToken(admin, 'no-scope-left', ['publish']);
      const scopeless = await postJson(readOnly, { ...FACTS, failedProducts: ROWS });
      expect(scopeless.status).toBe(403);
      expect(((await check(scopeless)) as Problems).error.code).toBe('SCOPE_MISSING');

      const tooLarge = await post(
        drafter,
        JSON.stringify({ ...FACTS, summary: 'x'.repeat(2 * 1024 * 1024) }),
        'application/json',
      );
      expect(tooLarge.status).toBe(413);
      expect(((await check(tooLarge)) as Problems).error.code).toBe('PAYLOAD_TOO_LARGE');
      const wrongType = await post(drafter, 'title=x', 'application/x-www-form-urlencoded');
      expect(wrongType.status).toBe(415);
      expect(((await check(wrongType)) as Problems).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

      const doomed = await issueToken(admin, 'soon-revoked', ['drafts:create']);
      expect((await postJson(doomed, { ...FACTS, failedProducts: ROWS })).status).toBe(201);
      const list = await admin.request('/admin/tokens/');
      const html = await list.text();
      const id = new RegExp(`<th scope="row"[^>]*>soon-revoked</th>[\\s\\S]*?name="tokenId" value="([^"]+)"`).exec(
        html,
      )?.[1];
      expect(id).toBeDefined();
      const revoked = await admin.postForm('/admin/tokens/', { action: 'revoke', tokenId: id ?? '' });
      expect(await revoked.text()).toContain('已吊销令牌「soon-revoked」');
      const afterRevoke = await postJson(doomed, { ...FACTS, failedProducts: ROWS });
      expect(afterRevoke.status).toBe(401);
      expect(((await check(afterRevoke)) as Problems).error.code).toBe('TOKEN_INVALID');
    });

    it('lists tokens with their last use, and audits their uses', async () => {
      await issueToken(admin, 'never-used', ['drafts:create']);
      const html = await (await admin.request('/admin/tokens/')).text();
      const row = (name: string) =>
        new RegExp(`<th scope="row"[^>]*>${name}</th>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
      expect(row('never-used')).toContain('从未使用');
      expect(row('jianguan-drafts')).toMatch(/<td[^>]*>有效<\/td>/);
      expect(row('jianguan-drafts')).not.toContain('从未使用');
      expect(html).not.toContain(drafter);
      const audit = await (await admin.request('/admin/audit/')).text();
      expect(audit).toContain('token:jianguan-drafts');
      expect(audit).toContain('签发接口令牌');
      expect(audit).toContain('吊销接口令牌');
      expect(audit).toContain('接口提交公告');
    });

    it('refuses the admin token page to editors and its forms without the CSRF token', async () => {
      const created = await admin.postForm('/admin/users/', {
        action: 'create',
        username: 'tokeneditor',
        role: 'editor',
      });
      const password = /data-testid="one-time-password"[^>]*>([^<]+)</.exec(await created.text())?.[1] ?? '';
      const editor = new StaffClient(server.url);
      expect((await editor.login('tokeneditor', password)).status).toBe(303);
      expect((await editor.request('/admin/tokens/')).status).toBe(403);
      const forged = await admin.request('/admin/tokens/', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ action: 'create', name: 'forged', scopes: 'publish' }).toString(),
      });
      expect(forged.status).toBe(403);
    });
  });
}

machineApiSuite('file store', () => startServer({ env: { ADMIN_PASSWORD, PUBLISH_REVIEW: 'single' } }));

let postgres: PostgresServer | undefined;
machineApiSuite('PostgreSQL store', async () => {
  postgres = await startPostgres();
  return startServer({
    env: { ADMIN_PASSWORD, PUBLISH_REVIEW: 'single', DATABASE_URL: await postgres.createDatabase() },
  });
});
afterAll(async () => {
  await postgres?.stop();
});

describe('the machine interface under two-person review', { timeout: 60_000 }, () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { ADMIN_PASSWORD } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('never publishes directly: publish: true submits the draft for review and says so', async () => {
    const admin = new StaffClient(server.url);
    expect((await admin.login('admin', ADMIN_PASSWORD)).status).toBe(303);
    const secret = await issueToken(admin, 'jianguan', ['drafts:create', 'publish']);
    const created = await machineFetch(`${server.url}/api/v1/announcements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...FACTS, publish: true, failedProducts: ROWS }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as Status;
    expect(body.status).toBe('in_review');
    expect(body.notice).toBe('本站实行双人审核，接口不能直接发布：草稿已提交审核，由审核人审核通过后发布。');
  });
});
