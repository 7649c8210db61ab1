/**
 * Cutting published content into passages: one per failed product row, one per announcement
 * summary, one per explanation section, one per recall, one per plan item and plan, one per
 * campaign page. Each passage knows its page (title and URL) so that every answer can cite it.
 * Instruction-like sentences are removed here, once, before anyone quotes the text.
 */
import { formatPublishedDate } from '~/lib/sampling/normalise';
import { paths } from '~/paths';
import { statedRate } from '~/lib/sampling/pass-rate';
import { neutraliseInstructions } from './injection';
import type { AssistantContent, ContentEntry, ExplanationSection, Passage, PassageFacts, SourcePage } from './types';

const SECTION_LABELS: Record<ExplanationSection, string> = {
  whatItIs: '是什么',
  whyItMatters: '为什么重要',
  likelyCauses: '常见原因',
  consumerAdvice: '消费提示',
  standards: '依据标准',
};

export function sectionLabel(section: ExplanationSection): string {
  return SECTION_LABELS[section];
}

const clean = (text: string | null | undefined): string | null => {
  const trimmed = text?.trim();
  return trimmed ? neutraliseInstructions(trimmed) : null;
};
const cleanText = (text: string): string => neutraliseInstructions(text.trim());
const join = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' ');

class PassageList {
  readonly items: Passage[] = [];
  private counters = new Map<string, number>();

  add(page: SourcePage, facts: PassageFacts, fields: { names: string; category: string; body: string }) {
    const n = this.counters.get(page.key) ?? 0;
    this.counters.set(page.key, n + 1);
    this.items.push({ id: `${page.key}#${n}`, page, facts, ...fields });
  }
}

function addAnnouncements(list: PassageList, entries: AssistantContent['announcements']) {
  for (const { id, data } of entries) {
    const page: SourcePage = {
      key: `announcements/${id}`,
      kind: 'announcement',
      title: cleanText(data.title),
      url: paths.announcement(id),
      example: data.example,
    };
    const date = formatPublishedDate(data.date);
    const summary = clean(data.summary) ?? '';
    list.add(
      page,
      {
        type: 'announcement',
        title: page.title,
        issuer: cleanText(data.issuer),
        date,
        category: cleanText(data.category),
        region: cleanText(data.region),
        sampled: data.batches.sampled,
        failed: data.batches.failed,
        passRateStated: clean(data.passRateStated),
        summary,
      },
      {
        names: join(data.issuer),
        category: data.category,
        body: join(
          page.title,
          data.region,
          date,
          summary,
          data.passRateStated,
          data.rules,
          '抽查 抽检 公告 结果 合格率',
        ),
      },
    );
    for (const product of data.failedProducts) {
      const failedItems = product.failedItems.map((item) => cleanText(item.text));
      list.add(
        page,
        {
          type: 'failed-product',
          productName: cleanText(product.productName),
          brand: clean(product.brand),
          modelSpec: clean(product.modelSpec),
          batchOrDate: clean(product.batchOrDate),
          manufacturer: clean(product.manufacturer),
          sampledUnit: clean(product.sampledUnit),
          failedItems,
          explanationKeys: [
            ...new Set(
              product.failedItems.flatMap((item) => (item.explanation ? [`explanations/${item.explanation}`] : [])),
            ),
          ],
          announcementTitle: page.title,
          issuer: cleanText(data.issuer),
          date,
          category: cleanText(data.category),
        },
        {
          names: join(product.productName, product.brand, product.modelSpec, product.manufacturer, product.sampledUnit),
          category: join(data.category, product.productName),
          body: join(failedItems.join(' '), '不合格', page.title, date, data.issuer),
        },
      );
    }
  }
}

function addExplanations(list: PassageList, entries: AssistantContent['explanations']) {
  for (const { id, data } of entries) {
    const page: SourcePage = {
      key: `explanations/${id}`,
      kind: 'explanation',
      title: data.testItem.includes(data.category)
        ? `不合格项目解读：${cleanText(data.testItem)}`
        : `不合格项目解读：${cleanText(data.testItem)}（${cleanText(data.category)}）`,
      url: paths.explanation(id),
      example: data.example,
    };
    const sections: [ExplanationSection, string | null][] = [
      ['whatItIs', clean(data.whatItIs)],
      ['whyItMatters', clean(data.whyItMatters)],
      ['likelyCauses', clean(data.likelyCauses)],
      ['consumerAdvice', clean(data.consumerAdvice)],
      ['standards', data.standards.length ? data.standards.join('、') : null],
    ];
    for (const [section, content] of sections) {
      if (!content) continue;
      list.add(
        page,
        {
          type: 'explanation',
          testItem: cleanText(data.testItem),
          category: cleanText(data.category),
          section,
          content,
        },
        {
          names: join(data.testItem, ...data.aliases),
          category: data.category,
          body: join(
            SECTION_LABELS[section],
            section === 'consumerAdvice' ? '注意 选购 建议 挑选' : null,
            '解读 意思',
            content,
          ),
        },
      );
    }
  }
}

function addRecalls(list: PassageList, entries: AssistantContent['recalls']) {
  for (const { id, data } of entries) {
    const page: SourcePage = {
      key: `recalls/${id}`,
      kind: 'recall',
      title: cleanText(data.title),
      url: paths.recall(id),
      example: data.example,
    };
    const facts: PassageFacts = {
      type: 'recall',
      title: page.title,
      company: cleanText(data.company),
      product: cleanText(data.product),
      quantity: clean(data.quantity),
      defect: clean(data.defect),
      hazard: clean(data.hazard),
      remedy: clean(data.remedy),
      date: formatPublishedDate(data.date),
      region: clean(data.region),
    };
    list.add(page, facts, {
      names: join(data.company, data.product, data.title),
      category: data.product,
      body: join('召回', facts.defect, facts.hazard, facts.remedy, facts.region, facts.date),
    });
  }
}

function addPlans(list: PassageList, entries: AssistantContent['plans']) {
  for (const { data } of entries) {
    const page: SourcePage = {
      key: `plans/${data.year}`,
      kind: 'plan',
      title: cleanText(data.title),
      url: paths.plan(data.year),
      example: false,
    };
    list.add(
      page,
      {
        type: 'plan',
        title: page.title,
        issuer: cleanText(data.issuer),
        documentNo: clean(data.documentNo),
        period: clean(data.period),
        focus: clean(data.focus),
        objects: clean(data.objects),
        categories: data.items.map((item) => cleanText(item.category)),
      },
      {
        names: join(data.issuer, data.documentNo),
        category: data.items.map((item) => item.category).join(' '),
        body: join(page.title, '计划 抽查计划 年度', data.form, data.objects, data.period, data.focus, data.note),
      },
    );
    for (const item of data.items) {
      list.add(
        page,
        {
          type: 'plan-item',
          planTitle: page.title,
          issuer: cleanText(data.issuer),
          year: data.year,
          category: cleanText(item.category),
          quarters: item.quarters,
          // A plan may name its method only for the whole plan ("以专项监督抽查为主").
          method: item.method ?? data.form ?? '计划未注明',
        },
        {
          names: data.issuer,
          category: item.category,
          body: join(
            page.title,
            '计划 抽查计划 季度 什么时候',
            item.quarters.map((q) => `第${q}季度`).join(' '),
            item.method,
          ),
        },
      );
    }
  }
}

function addCampaignReports(list: PassageList, entries: AssistantContent['campaignReports']) {
  for (const { id, data } of entries) {
    const page: SourcePage = {
      key: `campaign-reports/${id}`,
      kind: 'campaign',
      title: `各地实践：${cleanText(data.title)}`,
      url: paths.practice(),
      example: false,
    };
    const topNominated = data.topNominated.map((n) => (n.votes === null ? n.item : `${n.item}（${n.votes}票）`));
    list.add(
      page,
      {
        type: 'campaign',
        title: page.title,
        region: cleanText(data.region),
        organizer: clean(data.organizer),
        productScope: clean(data.productScope),
        participation: clean(data.participation),
        topNominated,
        followUp: clean(data.followUp),
        otherText: null,
      },
      {
        names: join(data.organizer, data.region),
        category: join(data.productScope),
        body: join(
          page.title,
          '你点我查 你点我检 投票 点题 活动',
          data.year,
          data.participation,
          topNominated.join(' '),
          data.followUp,
        ),
      },
    );
  }
}

/** Campaign pages whose schema is another module's: take the title and every string field. */
function addCampaigns(list: PassageList, entries: ContentEntry<Record<string, unknown>>[]) {
  for (const { id, data } of entries) {
    // Prose fields, and the names of what a campaign lists (its candidates), not ids or dates.
    const prose = (value: unknown): string[] => {
      if (typeof value === 'string') return /^https?:\/\/|^\d{4}-\d{2}-\d{2}T|^[a-z0-9-]+$/.test(value) ? [] : [value];
      if (Array.isArray(value))
        return value.flatMap((item) =>
          item && typeof item === 'object' ? prose((item as Record<string, unknown>)['name']) : [],
        );
      return [];
    };
    const strings = Object.entries(data)
      .filter(([key]) => key !== 'title')
      .flatMap(([, value]) => prose(value));
    const title = typeof data['title'] === 'string' ? cleanText(data['title']) : id;
    const page: SourcePage = {
      key: `campaigns/${id}`,
      kind: 'campaign',
      title,
      url: paths.campaign(id),
      example: data['example'] === true,
    };
    const otherText = clean(strings.join('；'));
    list.add(
      page,
      {
        type: 'campaign',
        title,
        region: typeof data['region'] === 'string' ? data['region'] : null,
        organizer: null,
        productScope: null,
        participation: null,
        topNominated: [],
        followUp: null,
        otherText,
      },
      { names: title, category: '', body: join('你点我查 投票 点题 活动', otherText) },
    );
  }
}

/** All passages of the published content, in a stable order. */
export function buildPassages(content: AssistantContent): Passage[] {
  const list = new PassageList();
  addAnnouncements(list, content.announcements);
  addExplanations(list, content.explanations);
  addRecalls(list, content.recalls);
  addPlans(list, content.plans);
  addCampaignReports(list, content.campaignReports);
  addCampaigns(list, content.campaigns ?? []);
  return list.items;
}

/** The text a model (or a person checking an answer) reads for a passage. */
export function passageText(passage: Passage): string {
  const f = passage.facts;
  const field = (label: string, value: string | number | null | undefined) =>
    value === null || value === undefined || value === '' ? null : `${label}：${value}`;
  const lines: (string | null)[] = (() => {
    switch (f.type) {
      case 'failed-product':
        return [
          `抽查不合格产品（${f.announcementTitle}，${f.issuer}，${f.date}）`,
          field('产品名称', f.productName),
          field('商标/品牌', f.brand),
          field('规格型号', f.modelSpec),
          field('生产日期/批号', f.batchOrDate),
          field('标称生产者', f.manufacturer),
          field('被抽样单位', f.sampledUnit),
          field('不合格项目', f.failedItems.join('；')),
        ];
      case 'announcement':
        return [
          `抽查结果公告：${f.title}`,
          field('发布单位', f.issuer),
          field('日期', f.date),
          field('产品类别', f.category),
          field('地区', f.region),
          field('抽查批次', f.sampled),
          field('不合格批次', f.failed),
          field(`${statedRate(f.passRateStated)?.label ?? '合格率'}（原文）`, f.passRateStated),
          field('概要', f.summary),
        ];
      case 'explanation':
        return [`不合格项目解读：${f.testItem}（${f.category}）`, field(SECTION_LABELS[f.section], f.content)];
      case 'recall':
        return [
          `召回：${f.title}`,
          field('日期', f.date),
          field('召回企业', f.company),
          field('产品', f.product),
          field('数量', f.quantity),
          field('缺陷', f.defect),
          field('可能造成的危害', f.hazard),
          field('处理办法', f.remedy),
        ];
      case 'plan':
        return [
          `抽查计划：${f.title}`,
          field('发布单位', f.issuer),
          field('文号', f.documentNo),
          field('抽查对象', f.objects),
          field('时间', f.period),
          field('重点', f.focus),
          field('产品类别', f.categories.join('、')),
        ];
      case 'plan-item':
        return [
          `抽查计划：${f.planTitle}`,
          field('产品类别', f.category),
          field('安排季度', f.quarters.map((q) => `第${q}季度`).join('、')),
          field('方式', f.method),
        ];
      case 'campaign':
        return [
          `“你点我查”类活动：${f.title}`,
          field('地区', f.region),
          field('组织单位', f.organizer),
          field('产品范围', f.productScope),
          field('参与情况', f.participation),
          field('得票靠前', f.topNominated.join('、')),
          field('后续', f.followUp),
          f.otherText,
        ];
    }
  })();
  return lines.filter((line): line is string => line !== null).join('\n');
}
