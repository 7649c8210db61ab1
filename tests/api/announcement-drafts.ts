/**
 * A results announcement's draft over HTTP, as the staff pages take it: the facts form, the
 * spreadsheet upload, the version every form carries. Shared by the API tests of those pages.
 */
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { StaffClient } from './admin-client';

export const FACTS = {
  title: '2025年青浦区电线电缆产品质量监督抽查结果公告',
  issuer: '上海市青浦区市场监督管理局',
  dateIso: '2025-03-18',
  dateText: '',
  category: '电线电缆',
  region: '上海市青浦区',
  stages: '流通',
  stageNote: '',
  samplingType: '',
  batchesSampled: '30',
  batchesFailed: '2',
  passRateStated: '',
  rules: '',
  summary: '',
  sourceUrl: 'https://www.shqp.gov.cn/example',
  sourceNote: '',
};

/** A new draft through the new-announcement form; its id from the redirect to its page. */
export async function createDraft(client: StaffClient): Promise<string> {
  const response = await client.postForm('/admin/announcements/new/', FACTS);
  expect(response.status).toBe(303);
  const match = /^\/admin\/announcements\/([^/]+)\/#table$/.exec(response.headers.get('location') ?? '');
  expect(match).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

export const draftPath = (id: string) => `/admin/announcements/${encodeURIComponent(id)}/`;

export async function upload(
  client: StaffClient,
  id: string,
  file: { bytes: Uint8Array; name: string },
  fields: Record<string, string> = {},
  csrfToken: string | null = client.csrfToken,
) {
  const form = new FormData();
  if (csrfToken !== null) form.set('csrfToken', csrfToken);
  form.set('action', 'upload');
  form.set('version', await versionOf(client, id));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('file', new Blob([new Uint8Array(file.bytes)]), file.name);
  return client.request(draftPath(id), { method: 'POST', body: form });
}

export async function xlsx(rows: (string | number)[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The version the draft's forms carry (every form names the version it was shown with). */
export async function versionOf(client: StaffClient, id: string): Promise<string> {
  const version = /name="version" value="(\d+)"/.exec(await pageText(client, id))?.[1];
  expect(version).toBeDefined();
  return version!;
}

export async function pageText(client: StaffClient, id: string): Promise<string> {
  const response = await client.request(draftPath(id));
  expect(response.status).toBe(200);
  return response.text();
}
