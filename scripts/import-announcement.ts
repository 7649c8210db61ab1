/**
 * Imports a table of failed products (.xlsx, or CSV in UTF-8 or GBK) as an announcement file,
 * read by the same reader as the admin's upload.
 *
 *   npm run import -- 不合格产品.xlsx --title "…" --issuer "…" --date 2025-03-18 \
 *     --category "电动自行车" --region "上海市青浦区" --source-url https://… [--out content/announcements]
 *
 * Metadata may also come from `不合格产品.meta.json` beside the table (flags win).
 * Any problem: messages on stderr, exit code 1, and nothing written.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { explanationSchema } from '../src/lib/content-schemas';
import type { ExplanationCandidate } from '../src/lib/publishing/explanation-match';
import { formatProblem } from '../src/lib/publishing/spreadsheet/problems';
import { announcementSlug, importAnnouncement } from '../src/lib/sampling/csv-import';
import { META_FLAGS, metaKeyOfFlag } from '../src/lib/sampling/csv-import/meta';
import { now } from '../src/server/clock';
import { readSpreadsheetFile } from '../src/server/publishing/spreadsheet-file';

const USAGE = `用法：npm run import -- 文件.xlsx|文件.csv [--title 标题 --issuer 发布机关 --date YYYY-MM-DD
  --category 产品类别 --region 地区 --source-url 原文网址 --stage 抽样环节
  --batches-sampled N --batches-failed N --source-note 说明 --summary 摘要]
  [--out content/announcements] [--force]
元数据也可以写在同名的 文件.meta.json 里（键名：title, issuer, date, category, region, sourceUrl,
stage, batchesSampled, batchesFailed, sourceNote, summary），命令行参数优先。`;

function fail(messages: string[]): never {
  for (const message of messages) process.stderr.write(`${message}\n`);
  process.stderr.write('没有写入任何文件。\n');
  process.exit(1);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    fail([`无法读取 ${file}：${(error as Error).message}`]);
  }
}

let args: ReturnType<typeof parseCommandLine>;
function parseCommandLine() {
  return parseArgs({
    allowPositionals: true,
    options: {
      ...Object.fromEntries(META_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
try {
  args = parseCommandLine();
} catch (error) {
  fail([`参数有误：${(error as Error).message}`, USAGE]);
}
if (args.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [csvPath, ...extra] = args.positionals;
if (!csvPath || extra.length > 0) fail(['请给出且只给出一个表格文件（.xlsx 或 .csv）。', USAGE]);
if (!existsSync(csvPath)) fail([`找不到文件 ${csvPath}`]);

const contentDir = resolve(process.env.CONTENT_DIR ?? 'content');
const outDir = resolve(args.values.out ?? join(contentDir, 'announcements'));
if (!existsSync(outDir)) fail([`输出文件夹不存在：${outDir}`]);

const sidecarPath = csvPath.replace(/\.(csv|xlsx)$/i, '') + '.meta.json';
const sidecar = existsSync(sidecarPath) ? readJson(sidecarPath) : {};
if (typeof sidecar !== 'object' || sidecar === null || Array.isArray(sidecar)) {
  fail([`${sidecarPath} 应是一个 JSON 对象`]);
}
const fromFlags = Object.fromEntries(
  META_FLAGS.flatMap((flag) => {
    const value = (args.values as Record<string, string | boolean | undefined>)[flag];
    return typeof value === 'string' ? [[metaKeyOfFlag(flag), value]] : [];
  }),
);
const meta = { ...sidecar, ...fromFlags };

const explanationsDir = join(contentDir, 'explanations');
const explanations: ExplanationCandidate[] = existsSync(explanationsDir)
  ? readdirSync(explanationsDir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => {
        const explanation = explanationSchema.parse(readJson(join(explanationsDir, name)));
        return {
          slug: basename(name, '.json'),
          testItem: explanation.testItem,
          aliases: explanation.aliases,
          category: explanation.category,
        };
      })
  : [];

function readFrom(table: { sheetName: string | null; encoding: string | null }): string {
  if (table.sheetName !== null) return `工作表“${table.sheetName}”`;
  return `${table.encoding === 'gb18030' ? 'GBK/GB18030' : 'UTF-8'} 编码`;
}

/** Short path for messages: relative inside the project, absolute elsewhere. */
const shown = (file: string) => (relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file));

const file = await readSpreadsheetFile(readFileSync(csvPath));
if (!file.ok) fail([`${csvPath}：${file.message}`]);
const result = importAnnouncement(file.table, meta, explanations, now());
if (!result.ok) fail([`${csvPath} 有 ${result.problems.length} 处问题：`, ...result.problems.map(formatProblem)]);

const existing = new Map(
  readdirSync(outDir)
    .filter((name) => name.endsWith('.json'))
    .map((name): [string, string | null] => {
      const data = readJson(join(outDir, name)) as { source?: { url?: unknown } } | null;
      return [basename(name, '.json'), typeof data?.source?.url === 'string' ? data.source.url : null];
    }),
);
const { slug, replaces } = announcementSlug(result.announcement, existing);
const target = join(outDir, `${slug}.json`);
if (replaces && !args.values.force) {
  fail([`${shown(target)} 已存在（同一原文网址），不覆盖。确需替换请加 --force。`]);
}

// Write beside the target and rename, so the build never sees half a file.
const temporary = join(outDir, `.${slug}.json.${process.pid}.tmp`);
try {
  writeFileSync(temporary, `${JSON.stringify(result.announcement, null, 2)}\n`, { flag: 'wx' });
  renameSync(temporary, target);
} catch (error) {
  rmSync(temporary, { force: true });
  fail([`写入 ${target} 失败：${(error as Error).message}`]);
}

const products = result.announcement.failedProducts.length;
process.stdout.write(
  `${replaces ? '已覆盖' : '已写入'} ${shown(target)}（${readFrom(file.table)}）：` +
    `${products} 个不合格产品，${result.totalItems} 个不合格项目，其中 ${result.linkedItems} 个链接到解读。\n`,
);
