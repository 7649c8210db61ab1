/**
 * A results announcement from the bureau's own spreadsheet, in a real browser: an editor (desktop,
 * 1280 px) types the facts, uploads an .xlsx written by exceljs, says what an unrecognised column
 * holds, corrects a row, confirms the suggested explanations, previews and submits; a reviewer
 * (tablet, 768 px) approves and publishes; citizens on a phone (360 px) and a desktop (1280 px) read
 * the public page, find the brand through the search page and ask the assistant about it, and the
 * RSS feed has the item; then a correction (same guid, marked 更正 in the feed, note on the page) and
 * a withdrawal (reason on the page, item gone from the feed). axe on every page; screenshots at each
 * width. It ends withdrawn, so the lists other specs count are as they were.
 */
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { XMLParser } from 'fast-xml-parser';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoAxeViolations } from './axe';
import { logIn } from './admin-support';

const DESKTOP = { width: 1280, height: 900 };
const TABLET = { width: 768, height: 1024 };
const PHONE = { width: 360, height: 740 };

/** The spreadsheet staff have: a title row, the usual headers, and one column named their own way (受检单位). */
async function writeWorkbook(path: string, tag: string, brand: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('不合格产品');
  sheet.addRow([`${tag}电线电缆产品质量监督抽查不合格产品名单`]);
  sheet.addRow(['序号', '产品名称', '商标', '规格型号', '生产日期/批号', '标称生产企业', '受检单位', '不合格项目']);
  sheet.addRow([
    1,
    '聚氯乙烯绝缘电缆',
    brand,
    'BV 2.5mm²',
    new Date(Date.UTC(2025, 0, 6)),
    '某电缆有限公司',
    '某五金商行',
    '导体电阻',
  ]);
  sheet.addRow([2, '铜芯电线', '—', 'BVR 4mm²', '2025-01-10', '某线缆厂', '某建材市场', '导体电阻；绝缘厚度']);
  sheet.getCell('E3').numFmt = 'yyyy-mm-dd';
  await workbook.xlsx.writeFile(path);
}

async function staffMember(browser: Browser, role: 'editor' | 'reviewer', tag: string, admin: Page) {
  await admin.goto('/admin/users/');
  const username = `${role}-${tag}`;
  await admin.getByLabel('用户名', { exact: true }).fill(username);
  await admin.getByLabel(role === 'editor' ? /^编辑/ : /^审核人/).check();
  await admin.getByRole('button', { name: '新建账号并生成密码' }).click();
  const password = (await admin.getByTestId('one-time-password').textContent()) ?? '';
  const context = await browser.newContext({ viewport: role === 'editor' ? DESKTOP : TABLET });
  const page = await context.newPage();
  await logIn(page, username, password);
  return { page, context, username };
}

interface FeedItem {
  title: string;
  description: string;
  link: string;
  guid: { '#text': string; '@isPermaLink': string };
}

/** The announcements feed's item for one public page, or undefined when the feed does not carry it. */
async function feedItemFor(request: APIRequestContext, publicPath: string): Promise<FeedItem | undefined> {
  const response = await request.get('/rss.xml');
  expect(response.status()).toBe(200);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(await response.text());
  const items: FeedItem[] = [parsed.rss.channel.item ?? []].flat();
  return items.find((item) => new URL(item.link).pathname === publicPath);
}

/**
 * The titles the search page lists for a query, once it has answered. The live index follows the
 * catalogue a moment after publishing, so callers poll this.
 */
async function searchResultTitles(page: Page, query: string): Promise<string[]> {
  await page.goto(`/search/?q=${encodeURIComponent(query)}`);
  await expect(page.getByRole('status')).toHaveText(/找到|没有找到/);
  return page.locator('#search-results h2').allTextContents();
}

/**
 * The assistant's first answer to `question` in a new conversation, once it has answered. Its index
 * follows the catalogue a moment after publishing, so callers poll this.
 */
async function assistantAnswer(page: Page, question: string): Promise<string> {
  await page.goto('/assistant/');
  // The chat is server-rendered first; wait until Preact has taken it over.
  await page.locator('astro-island:not([ssr])').first().waitFor({ state: 'attached' });
  await page.getByLabel('您的问题').fill(question);
  await page.getByLabel('您的问题').press('Enter');
  const answer = page.getByRole('log', { name: '问答记录' }).locator('.assistant-answer').first();
  await expect(answer).toContainText('本回答摘自本站公开信息');
  return (await answer.textContent()) ?? '';
}

/** The whole page, or one section of it (long staff pages are easier to check a part at a time). */
async function screenshot(page: Page, name: string, section?: string): Promise<void> {
  const path = test.info().outputPath(`${name}.png`);
  if (section) await page.locator(section).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

test('an editor publishes an announcement from an .xlsx, a reviewer approves, citizens read it; then a correction and a withdrawal', async ({
  page,
  browser,
}, testInfo) => {
  // eslint-disable-next-line no-restricted-properties -- one run: it sets its own desktop, tablet and phone widths.
  test.skip(testInfo.project.name !== 'desktop', 'the run sets desktop, tablet and phone widths itself');
  test.setTimeout(300_000);
  const stamp = Date.now().toString(36);
  const tag = `e2e${stamp}`;
  // Not in the title: search and the assistant can only find it in the failed-products table.
  const brand = `QB${stamp.toUpperCase()}`;
  const workbookPath = join(mkdtempSync(join(tmpdir(), 'portal-xlsx-')), '不合格产品.xlsx');
  await writeWorkbook(workbookPath, tag, brand);

  await logIn(page);
  const editor = await staffMember(browser, 'editor', tag, page);
  const reviewer = await staffMember(browser, 'reviewer', tag, page);
  const e = editor.page;

  // The facts, with one mistake first: the error summary names it, what was typed stays.
  await e.goto('/admin/announcements/');
  await expectNoAxeViolations(e);
  await e.getByRole('link', { name: '新建抽查结果公告' }).click();
  await expectNoAxeViolations(e);
  // Outside Shanghai: while it is public, the Shanghai statistics other specs count stay as the content files say.
  const title = `${tag} 2025年嘉兴市电线电缆产品质量监督抽查结果公告`;
  await e.getByLabel('公告标题').fill(title);
  await e.getByLabel('发布机构').fill('浙江省嘉兴市市场监督管理局');
  await e.getByLabel('发布日期').fill('2025-03-18');
  await e.getByLabel('产品类别').fill('电线电缆');
  await e.getByLabel('地区').fill('浙江省嘉兴市');
  await e.getByLabel('流通').check();
  await e.getByLabel('抽查批次').fill('30');
  await e.getByLabel('不合格批次').fill('2');
  await e.getByLabel('信息来源网址').fill('ftp://example');
  await e.getByRole('button', { name: '保存草稿' }).click();
  await expect(e.getByRole('alert')).toContainText('信息来源网址须以 http:// 或 https:// 开头。');
  await expect(e.getByLabel('公告标题')).toHaveValue(title);
  await expectNoAxeViolations(e);
  await e.getByLabel('信息来源网址').fill('https://www.jiaxing.gov.cn/example');
  await e.getByRole('button', { name: '保存草稿' }).click();
  await expect(e.getByRole('heading', { level: 1 })).toHaveText(title);

  // The spreadsheet: 受检单位 is not a name the reader knows, so nothing is saved until staff map it.
  await e.getByLabel('上传不合格产品表').setInputFiles(workbookPath);
  await e.getByRole('button', { name: '上传并检查' }).click();
  await expect(e.getByRole('alert')).toContainText('受检单位');
  await expect(e.getByText('表格还是空的')).toBeVisible();
  await expectNoAxeViolations(e);
  await screenshot(e, 'editor-column-choice-1280', '#table');
  await e.getByLabel(/第 7 列「受检单位」/).selectOption({ label: '被抽样单位名称' });
  await e.getByRole('button', { name: '按此导入' }).click();
  await expect(e.getByRole('status')).toContainText('2 个不合格产品');
  await expect(e.getByLabel('第 1 行 被抽样单位名称')).toHaveValue('某五金商行');
  await expect(e.getByLabel('第 1 行 生产日期/批号')).toHaveValue('2025-01-06');

  // A row corrected in the form: an empty required cell is refused by row and column, then fixed.
  await e.getByLabel('第 2 行 产品名称').fill('');
  await e.getByRole('button', { name: '保存表格' }).first().click();
  await expect(e.getByRole('alert')).toContainText('第 2 行');
  await expect(e.getByRole('alert')).toContainText('产品名称');
  await e.getByLabel('第 2 行 产品名称').fill('铜芯聚氯乙烯绝缘软电线');
  await e.getByRole('button', { name: '保存表格' }).first().click();
  await expect(e.getByRole('status')).toContainText('已保存表格：2 个不合格产品');

  // Explanations: 导体电阻 has a suggestion; 绝缘厚度 has none and stays a gap.
  const conductor = e.getByRole('combobox', { name: /^导体电阻/ });
  await expect(conductor).toHaveValue(/^dao-ti-dian-zu/);
  await expect(e.locator('#itemExplanation-0-hint')).toContainText('建议：导体电阻');
  await expect(e.locator('#gaps')).toContainText('绝缘厚度');
  await expect(e.getByRole('link', { name: '写一篇新的解读' })).toBeVisible();
  await e.getByRole('button', { name: '保存解读关联' }).click();
  await expect(e.getByRole('status')).toContainText('已保存解读关联');
  await expect(e.locator('#gaps')).toContainText('1 个不合格项目还没有关联解读');
  await expectNoAxeViolations(e);
  await screenshot(e, 'editor-table-1280', '#table');
  await screenshot(e, 'editor-explanations-1280', '#explanations');

  // The preview: the public markup at phone and desktop width, framed by the portal itself.
  await e.getByRole('link', { name: '预览（手机和电脑宽度）' }).click();
  await expectNoAxeViolations(e);
  const phoneFrame = e.frameLocator('iframe[title^="手机宽度预览"]');
  await expect(phoneFrame.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(phoneFrame.getByRole('rowheader', { name: '铜芯聚氯乙烯绝缘软电线' })).toBeVisible();
  await expect(
    e
      .frameLocator('iframe[title^="电脑宽度预览"]')
      .getByRole('link', { name: /导体电阻/ })
      .first(),
  ).toBeVisible();
  await screenshot(e, 'editor-preview-1280');
  const draftUrl = e.url().replace(/preview\/$/, '');
  await e.goto(draftUrl);
  await e.getByRole('button', { name: '提交审核' }).click();
  await expect(e.getByText('待审核').first()).toBeVisible();
  // Nobody approves their own draft (two-person review).
  await expect(e.getByRole('button', { name: /审核通过/ })).toHaveCount(0);

  // Asked before publication, the assistant knows nothing of the brand: its answers must follow the
  // publication below, not stay with the content it first indexed.
  expect(await assistantAnswer(page, `${brand}电缆抽查合格吗`)).not.toContain(`商标：${brand}`);

  // The reviewer, on a tablet.
  const r = reviewer.page;
  await r.goto(draftUrl);
  await expectNoAxeViolations(r);
  await screenshot(r, 'reviewer-draft-768');
  await r.getByRole('button', { name: /审核通过并立即发布/ }).click();
  await expect(r.getByText('已发布').first()).toBeVisible();
  const publicPath = await r.getByRole('link', { name: /^\/announcements\// }).textContent();
  expect(publicPath).toMatch(/^\/announcements\/.+\/$/);

  const withdrawalReason = '该批次复检结果有异议，待复核后重新发布。';
  let withdrawn = false;
  const citizens: { width: number; context: BrowserContext }[] = [];
  try {
    // Citizens, on a phone and on a desktop: the page, the search page finding the brand, the assistant.
    citizens.push(
      {
        width: 360,
        context: await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true }),
      },
      { width: 1280, context: await browser.newContext({ viewport: DESKTOP }) },
    );
    const citizenPages = await Promise.all(citizens.map(async (c) => ({ ...c, page: await c.context.newPage() })));
    for (const { page: citizen, width } of citizenPages) {
      await citizen.goto(publicPath ?? '');
      await expect(citizen.getByRole('heading', { level: 1 })).toHaveText(title);
      await expect(citizen.getByRole('cell', { name: brand })).toBeVisible();
      await expectNoAxeViolations(citizen);
      await screenshot(citizen, `citizen-announcement-${width}`);

      await expect
        .poll(() => searchResultTitles(citizen, brand), { timeout: 60_000, intervals: [1_000, 2_000, 5_000] })
        .toContain(title);
      await expectNoAxeViolations(citizen);
      await screenshot(citizen, `citizen-search-${width}`);
      await citizen.getByRole('link', { name: title }).click();
      await expect(citizen).toHaveURL(new RegExp(`${publicPath}$`));

      await expect
        .poll(() => assistantAnswer(citizen, `${brand}电缆抽查合格吗`), {
          timeout: 60_000,
          intervals: [1_000, 2_000, 5_000],
        })
        .toContain(`商标：${brand}`);
      const answer = citizen.getByRole('log', { name: '问答记录' }).locator('.assistant-answer').first();
      await expect(answer).toContainText('导体电阻');
      const source = answer.locator('.assistant-sources').getByRole('link', { name: title });
      await expect(source).toBeVisible();
      await expectNoAxeViolations(citizen);
      await screenshot(citizen, `citizen-assistant-${width}`);
      await source.click();
      await expect(citizen).toHaveURL(new RegExp(`${publicPath}$`));
    }
    const citizen = citizenPages[0]!.page;
    const desktopCitizen = citizenPages[1]!.page;

    // The feed carries it, its guid its permanent address.
    const published = await feedItemFor(page.request, publicPath ?? '');
    expect(published, 'the announcements feed has the new item').toBeDefined();
    expect(published!.title).toContain(title);
    expect(published!.title).not.toContain('【更正】');
    expect(published!.guid['@isPermaLink']).toBe('true');
    expect(new URL(published!.guid['#text']).pathname).toBe(publicPath);

    // A correction: the number of failed batches was wrong; the note is required and shown.
    await e.goto(draftUrl);
    await e.getByRole('button', { name: '更正（生成更正稿）' }).click();
    await expect(e.getByRole('status')).toContainText('已开始更正');
    await e.getByLabel('不合格批次').fill('3');
    await e.getByLabel('更正说明').fill('不合格批次数录入有误，更正为3批次。');
    await e.getByRole('button', { name: '保存基本信息' }).click();
    await expect(e.getByRole('status')).toContainText('已保存基本信息');
    await e.getByRole('button', { name: '提交审核' }).click();
    await expect(e.getByRole('status')).toContainText('已提交审核');
    await r.goto(draftUrl);
    await r.getByRole('button', { name: '审核通过并立即发布' }).click();
    await expect(r.getByRole('status')).toContainText('已审核通过并发布');
    await expect(r.locator('section.workflow')).toContainText('第 2 版');
    const publicText = async (reader: Page) => (
      await reader.goto(publicPath ?? ''),
      reader.locator('main').textContent()
    );
    for (const reader of [citizen, desktopCitizen]) {
      await expect.poll(() => publicText(reader), { timeout: 60_000 }).toContain('不合格批次数录入有误');
    }
    // The correction is the same feed item (same guid), marked 更正 with its note.
    await expect
      .poll(async () => (await feedItemFor(page.request, publicPath ?? ''))?.title, { timeout: 60_000 })
      .toContain('【更正】');
    const corrected = await feedItemFor(page.request, publicPath ?? '');
    expect(corrected!.guid['#text']).toBe(published!.guid['#text']);
    expect(corrected!.description).toContain('不合格批次数录入有误');

    // A withdrawal leaves its public reason, and the feed no longer offers the item.
    await r.getByLabel('撤回原因（公开显示）').fill(withdrawalReason);
    await r.getByRole('button', { name: '撤回' }).click();
    await expect(r.getByRole('status')).toContainText('已撤回');
    withdrawn = true;
    await expect(r.locator('section.workflow')).toContainText('该批次复检结果有异议');
    for (const reader of [citizen, desktopCitizen]) {
      await expect.poll(() => publicText(reader), { timeout: 60_000 }).toContain('该批次复检结果有异议');
      await expectNoAxeViolations(reader);
    }
    await screenshot(desktopCitizen, 'citizen-withdrawn-1280');
    await expect.poll(() => feedItemFor(page.request, publicPath ?? ''), { timeout: 60_000 }).toBeUndefined();
  } finally {
    // Whatever failed above, the item does not stay on the public lists other specs count.
    if (!withdrawn) {
      await r.goto(draftUrl);
      await r.getByLabel('撤回原因（公开显示）').fill(withdrawalReason);
      await r.getByRole('button', { name: '撤回' }).click();
      await expect(r.getByRole('status')).toContainText('已撤回');
    }
  }

  for (const { context } of citizens) await context.close();
  await editor.context.close();
  await reviewer.context.close();
});
