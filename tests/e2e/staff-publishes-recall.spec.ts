/**
 * Two staff members publish a recall: an editor (on a tablet in the desktop run, on a phone in the
 * phone run) drafts it, fixes what the form refuses and submits it; a reviewer at a desktop finds it
 * in the review queue and approves it. The editor cannot approve; axe on every page on the way. The
 * editor attaches the recall's original document, which the public page then offers as a download. A
 * citizen finds it on the public list and through search at once (the live index's delta), and no
 * longer once it is withdrawn.
 * Accounts and the recall are named per project, so the two runs do not meet.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe';
import { E2E_ADMIN_PASSWORD, logIn } from './admin-support';

const TABLET = { width: 820, height: 1180 };
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

async function createAccount(admin: Page, username: string, role: RegExp): Promise<string> {
  await admin.goto('/admin/users/');
  await admin.getByLabel('用户名', { exact: true }).fill(username);
  await admin.getByLabel(role).check();
  await admin.getByRole('button', { name: '新建账号并生成密码' }).click();
  const password = (await admin.getByTestId('one-time-password').textContent()) ?? '';
  expect(password.length).toBeGreaterThanOrEqual(12);
  return password;
}

async function staffPage(
  browser: Browser,
  username: string,
  password: string,
  viewport?: { width: number; height: number },
): Promise<Page> {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  await logIn(page, username, password);
  return page;
}

test('an editor drafts a recall and a second staff member approves and publishes it', async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  const project = testInfo.project.name;
  const company = `示例${project === 'desktop' ? '甲' : '乙'}电器有限公司`;

  await logIn(page, 'admin', E2E_ADMIN_PASSWORD, '/admin/users/');
  await expect(page.getByLabel(/^审核人/)).toBeVisible();
  const editorPassword = await createAccount(page, `bianji-${project}`, /^编辑/);
  const reviewerPassword = await createAccount(page, `shenhe-${project}`, /^审核人/);
  await expect(page.getByRole('row', { name: new RegExp(`shenhe-${project}`) })).toContainText('审核人');

  // The editor: on a tablet in the desktop run; the phone run is the phone.
  const editor = await staffPage(
    browser,
    `bianji-${project}`,
    editorPassword,
    project === 'desktop' ? TABLET : undefined,
  );
  await editor.getByRole('link', { name: '召回', exact: true }).click();
  await expect(editor.getByRole('heading', { level: 1, name: '召回' })).toBeVisible();
  await expectNoAxeViolations(editor);
  await editor.getByRole('link', { name: '新建召回' }).click();
  await expectNoAxeViolations(editor);

  await editor.getByLabel(/^召回企业/).fill(company);
  await editor.getByLabel(/^来源网址/).fill('不是网址');
  await editor.getByRole('button', { name: '创建草稿' }).click();
  const summary = editor.getByRole('alert');
  await expect(summary).toContainText('请填写召回产品。');
  await expect(summary).toContainText('请填写来源网址');
  await expect(editor.getByLabel(/^召回企业/)).toHaveValue(company);
  await expectNoAxeViolations(editor);

  await editor.getByLabel(/^召回产品/).fill('电热暖手器');
  await editor.getByLabel(/^型号和批次/).fill('NST-60（2026年10月生产）');
  await editor.getByLabel(/^召回数量/).fill('1200 台');
  await editor.getByLabel(/^缺陷情况/).fill('电热元件绝缘不良。');
  await editor.getByLabel(/^可能造成的危害/).fill('使用时可能导致触电。');
  await editor.getByLabel(/^召回措施/).fill('免费更换。');
  await editor.getByLabel(/^召回日期/).fill('2027-03-10');
  await editor.getByLabel(/^地区/).fill('上海市');
  await editor.getByLabel(/^来源网址/).fill('https://www.samr.gov.cn/zhghs/zhgh/example.html');
  await editor.getByRole('button', { name: '创建草稿' }).click();
  await expect(editor.getByRole('status')).toContainText('草稿已创建');
  await expect(editor.getByRole('heading', { level: 1 })).toHaveText(`${company}召回电热暖手器`);
  await expectNoAxeViolations(editor);

  // The original document, attached on the draft's page.
  await editor.getByLabel('上传召回公告原件').setInputFiles({
    name: '召回公告原件.pdf',
    mimeType: 'application/pdf',
    buffer: PDF,
  });
  await editor.getByRole('button', { name: '上传附件' }).click();
  await expect(editor.getByRole('status')).toContainText('已上传附件「召回公告原件.pdf」');
  await expect(editor.getByRole('rowheader', { name: '召回公告原件.pdf' })).toBeVisible();
  await expectNoAxeViolations(editor);
  await editor.locator('#attachments').screenshot({ path: testInfo.outputPath(`editor-attachments-${project}.png`) });

  await editor.getByRole('button', { name: '提交审核' }).click();
  await expect(editor.getByRole('status')).toContainText('已提交审核');
  await expect(editor.getByRole('region', { name: '审核与发布' }).getByText('待审核', { exact: true })).toBeVisible();
  await expect(editor.getByRole('button', { name: '审核通过并立即发布' })).toHaveCount(0);
  await expectNoAxeViolations(editor);

  // The reviewer, at a desktop: the review queue, then approval.
  const reviewer = await staffPage(browser, `shenhe-${project}`, reviewerPassword, { width: 1280, height: 900 });
  await reviewer.getByRole('link', { name: '待审核', exact: true }).click();
  await expectNoAxeViolations(reviewer);
  await reviewer.getByRole('link', { name: `${company}召回电热暖手器` }).click();
  await expect(reviewer.getByText(`bianji-${project}`).first()).toBeVisible();
  await expectNoAxeViolations(reviewer);
  await reviewer.getByRole('button', { name: '审核通过并立即发布' }).click();
  await expect(reviewer.getByRole('status')).toContainText('已审核通过并发布');
  await expect(reviewer.getByRole('region', { name: '审核与发布' }).getByText('已发布', { exact: true })).toBeVisible();
  await expect(reviewer.getByText(`审核：shenhe-${project}`).first()).toBeVisible();
  const publicPath = (await reviewer.getByRole('link', { name: /^\/recalls\// }).textContent())?.trim() ?? '';
  const recallAdminPage = reviewer.url();
  await expectNoAxeViolations(reviewer);

  // A citizen opens it and downloads the original document.
  const downloads = page.getByRole('region', { name: '附件下载' });
  await expect.poll(async () => (await page.goto(publicPath), downloads.count()), { timeout: 60_000 }).toBe(1);
  const link = downloads.getByRole('link', { name: '召回公告原件.pdf' });
  await expect(downloads).toContainText('（PDF，');
  await expectNoAxeViolations(page);
  await page.screenshot({ path: testInfo.outputPath(`citizen-recall-${project}.png`), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('召回公告原件.pdf');

  // A citizen finds it on the public recalls list, without a rebuild.
  const recallsList = async () => (await page.goto('/recalls/'), (await page.locator('main').textContent()) ?? '');
  await expect.poll(recallsList, { timeout: 60_000 }).toContain(company);
  // …and through search, by the company's name (search page: base index plus the live delta).
  const searchHits = async () => {
    await page.goto(`/search/?q=${encodeURIComponent(company)}`);
    await expect(page.locator('#search-status')).toHaveText(/找到/);
    return page
      .locator('#search-results')
      .getByRole('link', { name: `${company}召回电热暖手器` })
      .count();
  };
  await expect.poll(searchHits, { timeout: 60_000 }).toBe(1);

  // The list shows its status; the queue no longer holds it.
  await reviewer.goto('/admin/recalls/');
  await expect(reviewer.getByRole('row', { name: new RegExp(company) })).toContainText('已发布');
  await reviewer.goto('/admin/review/');
  await expect(reviewer.getByRole('link', { name: `${company}召回电热暖手器` })).toHaveCount(0);

  // Withdrawn, it leaves the public list, and its page keeps the public reason.
  await reviewer.goto(recallAdminPage);
  await reviewer.getByLabel('撤回原因（公开显示）').fill('企业更正了召回范围，待核实后重新发布。');
  await reviewer.getByRole('button', { name: '撤回' }).click();
  await expect(reviewer.getByRole('status')).toContainText('已撤回');
  await expect.poll(recallsList, { timeout: 60_000 }).not.toContain(company);
  await expect.poll(searchHits, { timeout: 60_000 }).toBe(0);
  await page.goto(publicPath);
  await expect(page.locator('main')).toContainText('企业更正了召回范围');
  await expectNoAxeViolations(page);

  await editor.context().close();
  await reviewer.context().close();
});
