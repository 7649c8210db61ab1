/**
 * One-off seeding: turns the real published records (the project's shared data folder, JSON lines)
 * into the portal's content files. Kept in the repository so the sample content can be traced
 * and regenerated; the build, the server and the tests never read the shared folder.
 *
 *   npx tsx scripts/convert-shared-data.ts ../shared/data
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  announcementSchema,
  campaignReportSchema,
  explanationSchema,
  planSchema,
  recallSchema,
} from '../src/lib/content-schemas';
import {
  citedStandards,
  itemName,
  moveTruncationMarks,
  parsePublishedDate,
  splitFailedItems,
  withTitleYear,
  stagesFromText,
} from '../src/lib/sampling/normalise';
import { confidentExplanation, type ExplanationCandidate } from '../src/lib/publishing/explanation-match';
import { recallHeading } from '../src/lib/sampling/recall';
import { slugify, uniqueSlug } from '../src/lib/text/slug';
import { beijingIsoDay } from '../src/lib/time/beijing';
import { now } from '../src/server/clock';

// The shared records vary in shape from source to source; each field is checked where it is read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const sourceDir = process.argv[2] ?? '../shared/data';
const contentDir = join(import.meta.dirname, '..', 'content');

const readLines = (file: string): Row[] =>
  readFileSync(join(sourceDir, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Row);

function writeCollection(name: string, entries: Array<[string, unknown]>): void {
  const dir = join(contentDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [slug, data] of entries) writeFileSync(join(dir, `${slug}.json`), `${JSON.stringify(data, null, 2)}\n`);
  console.log(`${name}: ${entries.length}`);
}

/**
 * The day the portal first published a record: kept from the content file when it already has one,
 * else the day of the commit that added the file, else today (a record this run adds). Set once and
 * stored, so re-running the conversion never moves an item in the feeds.
 */
function firstPublishedAt(collection: string, slug: string): string {
  const relativePath = join('content', collection, `${slug}.json`);
  const file = join(contentDir, collection, `${slug}.json`);
  if (existsSync(file)) {
    const stored = (JSON.parse(readFileSync(file, 'utf8')) as Row).firstPublishedAt;
    if (typeof stored === 'string') return stored;
  }
  const added = execFileSync('git', ['log', '--diff-filter=A', '--format=%cI', '--', relativePath], {
    cwd: join(contentDir, '..'),
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .filter(Boolean)
    .at(-1);
  return beijingIsoDay(added ? new Date(added) : now());
}

const source = (row: Row) => ({ url: row.source_url as string, note: (row.source_note as string | null) ?? null });

// Explanations first: announcements link their failed items to them.
const explanationSlugs = new Set<string>();
const explanations = readLines('explanations.jsonl').map((row): [string, unknown] => {
  const aliases = [...new Set(splitFailedItems(row.test_item).map(itemName).filter(Boolean))];
  const slug = uniqueSlug(slugify(`${aliases[0] ?? row.test_item} ${row.product_category}`, 40), explanationSlugs);
  const text = [row.what_it_is, row.why_it_matters, row.likely_causes, row.consumer_advice].filter(Boolean).join(' ');
  return [
    slug,
    explanationSchema.parse(
      moveTruncationMarks({
        testItem: row.test_item,
        aliases,
        category: row.product_category,
        whatItIs: row.what_it_is,
        whyItMatters: row.why_it_matters,
        likelyCauses: row.likely_causes,
        consumerAdvice: row.consumer_advice,
        standards: citedStandards(text),
        issuer: row.issuer,
        source: { url: row.source_url, note: null },
      }),
    ),
  ];
});
const candidates: ExplanationCandidate[] = explanations.map(([slug, data]) => {
  const e = data as { aliases: string[]; category: string };
  return { slug, aliases: e.aliases, category: e.category };
});

const announcementSlugs = new Set<string>();
const announcements = readLines('announcements.jsonl').map((row): [string, unknown] => {
  const statedDate = parsePublishedDate(row.date);
  const date = withTitleYear(statedDate, row.title);
  const title = row.title ?? `${row.region}${row.product_category}产品质量监督抽查情况`;
  const wording = `${row.title ?? ''} ${row.stage ?? ''} ${row.summary ?? ''}`;
  const samplingType = /专项/.test(wording) ? '专项' : /联动/.test(wording) ? '联动' : undefined;
  // The slug keeps the date field's year, so adding a title year moves no page.
  const slug = uniqueSlug(
    slugify(`${statedDate.year ?? 'nd'} ${row.region} ${row.product_category}`, 44),
    announcementSlugs,
  );
  const announcement = announcementSchema.parse(
    moveTruncationMarks({
      title,
      titleComposed: !row.title,
      issuer: row.issuer,
      date,
      category: row.product_category,
      region: row.region,
      stages: stagesFromText(row.stage),
      stageNote: row.stage,
      samplingType,
      batches: { sampled: row.total_batches, failed: row.failed_batches },
      passRateStated: row.pass_rate_if_stated,
      rules: /SHSSXZ\d{4}-\d{4}/.exec(row.summary ?? '')?.[0] ?? null,
      summary: row.summary ?? '',
      failedProducts: (row.failed_products as Row[]).map((p) => ({
        productName: p.product_name ?? '（原文未列产品名称）',
        brand: p.brand,
        modelSpec: p.model_spec,
        batchOrDate: p.batch_or_date,
        manufacturer: p.manufacturer,
        sampledUnit: p.sampled_unit,
        failedItems: splitFailedItems(p.failed_items).map((text) => {
          const explanation = confidentExplanation(text, row.product_category, candidates);
          return explanation ? { text, explanation } : { text };
        }),
        inspectionBody: p.inspection_body,
      })),
      source: source(row),
      firstPublishedAt: firstPublishedAt('announcements', slug),
    }),
  );
  return [slug, announcement];
});

const recallSlugs = new Set<string>();
const recalls = readLines('recalls.jsonl').map((row): [string, unknown] => {
  const date = parsePublishedDate(row.date);
  const productShort = String(row.product)
    .split(/[（(，,；;]/)[0]!
    .trim();
  const slug = uniqueSlug(slugify(`${date.year ?? 'nd'} ${row.company} ${productShort}`, 44), recallSlugs);
  return [
    slug,
    recallSchema.parse(
      moveTruncationMarks({
        title: row.title ?? recallHeading({ company: row.company, product: row.product }),
        titleComposed: !row.title,
        date,
        company: row.company,
        product: row.product,
        quantity: row.quantity,
        defect: row.defect,
        hazard: row.hazard,
        remedy: row.remedy,
        region: row.region,
        source: source(row),
        firstPublishedAt: firstPublishedAt('recalls', slug),
      }),
    ),
  ];
});

const reportSlugs = new Set<string>();
const reports = readLines('campaigns.jsonl').map((row): [string, unknown] => [
  uniqueSlug(slugify(`${row.region} ${row.campaign}`, 44), reportSlugs),
  campaignReportSchema.parse(
    moveTruncationMarks({
      title: row.campaign,
      year: row.year,
      region: row.region,
      organizer: row.organizer,
      productScope: row.product_scope,
      participation: row.votes_or_participants,
      topNominated: row.top_nominated_products ?? [],
      followUp: row.follow_up,
      source: source(row),
    }),
  ),
]);

const rawPlan = JSON.parse(readFileSync(join(sourceDir, 'plan-2024-qingpu.json'), 'utf8')) as Row;
const planItemIds = new Set<string>();
const plan = planSchema.parse({
  year: Number(String(rawPlan.date).slice(0, 4)),
  title: rawPlan.title,
  region: /^\d{4}年(.+?[区县市])/.exec(String(rawPlan.title))?.[1],
  issuer: rawPlan.issuer,
  documentNo: rawPlan.document_no,
  date: rawPlan.date,
  form: rawPlan.form,
  objects: rawPlan.objects,
  period: rawPlan.period,
  // The source states its focus inside `objects` (「重点是…」); no other text is added.
  focus: rawPlan.focus ?? null,
  note: rawPlan.note,
  items: (rawPlan.categories as Row[]).map((c) => ({
    id: uniqueSlug(slugify(c.category, 32), planItemIds),
    seq: c.seq,
    category: c.category,
    quarters: c.quarters,
    // The source gives no method per category, only 「以专项监督抽查为主」 for the whole plan.
    method: null,
  })),
  source: null,
});

writeCollection('explanations', explanations);
writeCollection('announcements', announcements);
writeCollection('recalls', recalls);
writeCollection('campaign-reports', reports);
writeCollection('plans', [[`${plan.year}-qingpu`, plan]]);
const linked = announcements
  .flatMap(([, a]) => (a as { failedProducts: { failedItems: { explanation?: string }[] }[] }).failedProducts)
  .flatMap((p) => p.failedItems);
console.log(`failed items linked to an explanation: ${linked.filter((i) => i.explanation).length}/${linked.length}`);
