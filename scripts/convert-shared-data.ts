/**
 * One-off seeding: turns the real published records (the project's shared data folder, JSON lines)
 * into the portal's content files. Kept in the repository so the sample content can be traced
 * and regenerated; the build, the server and the tests never read the shared folder.
 *
 *   npx tsx scripts/convert-shared-data.ts ../shared/data
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  matchExplanation,
  parsePublishedDate,
  splitFailedItems,
  stagesFromText,
  type ExplanationCandidate,
} from '../src/lib/sampling/normalise';
import { slugify, uniqueSlug } from '../src/lib/text/slug';

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

const source = (row: Row) => ({ url: row.source_url as string, note: (row.source_note as string | null) ?? null });

// Explanations first: announcements link their failed items to them.
const explanationSlugs = new Set<string>();
const explanations = readLines('explanations.jsonl').map((row): [string, unknown] => {
  const aliases = [...new Set(splitFailedItems(row.test_item).map(itemName).filter(Boolean))];
  const slug = uniqueSlug(slugify(`${aliases[0] ?? row.test_item} ${row.product_category}`, 40), explanationSlugs);
  const text = [row.what_it_is, row.why_it_matters, row.likely_causes, row.consumer_advice].filter(Boolean).join(' ');
  return [
    slug,
    explanationSchema.parse({
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
  ];
});
const candidates: ExplanationCandidate[] = explanations.map(([slug, data]) => {
  const e = data as { aliases: string[]; category: string };
  return { slug, aliases: e.aliases, category: e.category };
});

const announcementSlugs = new Set<string>();
const announcements = readLines('announcements.jsonl').map((row): [string, unknown] => {
  const date = parsePublishedDate(row.date);
  const title = row.title ?? `${row.region}${row.product_category}产品质量监督抽查情况`;
  const wording = `${row.title ?? ''} ${row.stage ?? ''} ${row.summary ?? ''}`;
  const samplingType = /专项/.test(wording) ? '专项' : /联动/.test(wording) ? '联动' : undefined;
  const slug = uniqueSlug(slugify(`${date.year ?? 'nd'} ${row.region} ${row.product_category}`, 44), announcementSlugs);
  const announcement = announcementSchema.parse({
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
        const explanation = matchExplanation(text, row.product_category, candidates);
        return explanation ? { text, explanation } : { text };
      }),
      inspectionBody: p.inspection_body,
    })),
    source: source(row),
  });
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
    recallSchema.parse({
      title: row.title ?? `${row.company}召回${productShort}`,
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
    }),
  ];
});

const reportSlugs = new Set<string>();
const reports = readLines('campaigns.jsonl').map((row): [string, unknown] => [
  uniqueSlug(slugify(`${row.region} ${row.campaign}`, 44), reportSlugs),
  campaignReportSchema.parse({
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
]);

const rawPlan = JSON.parse(readFileSync(join(sourceDir, 'plan-2024-qingpu.json'), 'utf8')) as Row;
const planItemIds = new Set<string>();
const plan = planSchema.parse({
  year: Number(String(rawPlan.date).slice(0, 4)),
  title: rawPlan.title,
  issuer: rawPlan.issuer,
  documentNo: rawPlan.document_no,
  date: rawPlan.date,
  form: rawPlan.form,
  objects: rawPlan.objects,
  period: rawPlan.period,
  focus:
    '上年度国家、市级和本区监督抽查不合格企业及投诉举报相对集中的消费品；生产领域按“双随机、一公开”抽样，流通领域侧重城乡结合部、小商店、批发和建材市场。',
  note: rawPlan.note,
  items: (rawPlan.categories as Row[]).map((c) => ({
    id: uniqueSlug(slugify(c.category, 32), planItemIds),
    seq: c.seq,
    category: c.category,
    quarters: c.quarters,
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
