import { describe, expect, it } from 'vitest';
import { formToObject, validate } from '../../src/lib/admin/forms';
import { announcementSchema, type FailedProduct } from '../../src/lib/content-schemas';
import {
  announcementFactsSchema,
  announcementFromFacts,
  explanationGapCount,
  explanationGaps,
  FACTS_REPEATED_FIELDS,
  factsFormValues,
  yearInText,
} from '../../src/lib/publishing/announcement-form';
import {
  emptyRow,
  FORM_ROW_FIELDS,
  MAX_FORM_ROWS,
  rowField,
  rowsFromForm,
  rowsWithAction,
  rowValuesOf,
} from '../../src/lib/publishing/announcement-rows';
import {
  applyExplanationChoices,
  keepExplanationLinks,
  choicesFromForm,
  distinctFailedItems,
  explanationField,
  itemTextField,
} from '../../src/lib/publishing/explanation-links';

const filled = {
  title: '2025年青浦区电线电缆产品质量监督抽查结果公告',
  issuer: '上海市青浦区市场监督管理局',
  dateIso: '2025-03-18',
  dateText: '',
  category: '电线电缆',
  region: '上海市青浦区',
  stages: ['流通', '生产'],
  stageNote: '',
  samplingType: '常规',
  batchesSampled: '30',
  batchesFailed: '3',
  passRateStated: '',
  rules: 'SHSSXZ0247-2025',
  summary: '共抽查30批次。',
  sourceUrl: 'https://scjgj.sh.gov.cn/example',
  sourceNote: '',
};

const form = (values: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values))
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
  return formToObject(params, FACTS_REPEATED_FIELDS);
};

const product = (name: string, items: { text: string; explanation?: string }[]): FailedProduct => ({
  productName: name,
  brand: null,
  modelSpec: null,
  batchOrDate: null,
  manufacturer: null,
  sampledUnit: null,
  failedItems: items,
  inspectionBody: null,
});

describe('the announcement facts form', () => {
  it('turns a filled form into an announcement the content schema accepts, stages in their usual order', () => {
    const parsed = validate(announcementFactsSchema, form(filled));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const announcement = announcementFromFacts(parsed.data, null, '2027-03-15');
    expect(announcementSchema.safeParse(announcement).success).toBe(true);
    expect(announcement.stages).toEqual(['生产', '流通']);
    expect(announcement.date).toEqual({ text: null, iso: '2025-03-18', year: 2025 });
    expect(announcement.batches).toEqual({ sampled: 30, failed: 3 });
    expect(announcement.firstPublishedAt).toBe('2027-03-15');
    expect(announcement.example).toBe(false);
  });

  it("keeps the source's wording when it names no exact day, with the year it mentions", () => {
    const parsed = validate(announcementFactsSchema, form({ ...filled, dateIso: '', dateText: '2014年第四季度' }));
    expect(parsed.ok && announcementFromFacts(parsed.data, null, '2027-03-15').date).toEqual({
      text: '2014年第四季度',
      year: 2014,
    });
  });

  it('reports every wrong field at once, in Chinese, by field name', () => {
    const parsed = validate(
      announcementFactsSchema,
      form({
        ...filled,
        title: ' ',
        dateIso: '2025-02-31',
        batchesSampled: '3.5',
        sourceUrl: 'javascript:alert(1)',
        samplingType: '随便',
      }),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.fromEntries(parsed.errors.map((error) => [error.field, error.message]))).toEqual({
      title: '请填写公告标题。',
      dateIso: '发布日期须为有效日期，写成 YYYY-MM-DD（例如 2025-03-18）。',
      batchesSampled: '抽查批次须为整数，原文未给出时请留空。',
      sourceUrl: '信息来源网址须以 http:// 或 https:// 开头。',
      samplingType: '请选择抽查类型。',
    });
  });

  it('asks for a date or the wording of one, and refuses more failed batches than sampled', () => {
    const parsed = validate(
      announcementFactsSchema,
      form({ ...filled, dateIso: '', dateText: '', batchesSampled: '2', batchesFailed: '3' }),
    );
    expect(parsed.ok ? [] : parsed.errors.map((error) => error.field)).toEqual(['dateIso', 'batchesFailed']);
  });

  it('keeps the table, plan link and first publication day of the announcement it edits', () => {
    const parsed = validate(announcementFactsSchema, form(filled));
    if (!parsed.ok) throw new Error('precondition: the filled form is valid');
    const rows = [product('电线', [{ text: '导体电阻' }])];
    const edited = announcementFromFacts(
      parsed.data,
      { failedProducts: rows, firstPublishedAt: '2025-03-20', planItem: '2025/dian-xian', example: false },
      '2027-03-15',
    );
    expect(edited.failedProducts).toBe(rows);
    expect(edited.firstPublishedAt).toBe('2025-03-20');
    expect(edited.planItem).toBe('2025/dian-xian');
    const again = validate(announcementFactsSchema, form(factsFormValues(edited) as Record<string, string>));
    expect(again.ok && announcementFromFacts(again.data, edited, '2027-03-16')).toEqual(edited);
  });

  it('finds the year in wordings', () => {
    expect(yearInText('2024-01-04（据URL）')).toBe(2024);
    expect(yearInText('第四季度')).toBeUndefined();
    expect(yearInText('编号120245')).toBeUndefined();
  });
});

describe('explanation links and gaps', () => {
  const rows = [
    product('电线', [{ text: '导体电阻', explanation: 'dao-ti-dian-zu' }, { text: '绝缘厚度' }]),
    product('插座', [{ text: '绝缘厚度' }]),
  ];

  it('lists every failed item without an explanation, by row', () => {
    expect(explanationGaps(rows)).toEqual([
      { row: 1, productName: '电线', itemText: '绝缘厚度' },
      { row: 2, productName: '插座', itemText: '绝缘厚度' },
    ]);
  });

  it('decides once per distinct item and applies the choice to every row listing it', () => {
    expect(distinctFailedItems(rows)).toEqual([
      { text: '导体电阻', explanation: 'dao-ti-dian-zu', rows: [1] },
      { text: '绝缘厚度', explanation: null, rows: [1, 2] },
    ]);
    const sent = new URLSearchParams([
      [itemTextField(0), '导体电阻'],
      [explanationField(0), ''],
      [itemTextField(1), '绝缘厚度'],
      [explanationField(1), 'jue-yuan-hou-du'],
    ]);
    const applied = applyExplanationChoices(
      rows,
      choicesFromForm(sent),
      new Set(['dao-ti-dian-zu', 'jue-yuan-hou-du']),
    );
    expect(applied.ok && applied.products.map((p) => p.failedItems)).toEqual([
      [{ text: '导体电阻' }, { text: '绝缘厚度', explanation: 'jue-yuan-hou-du' }],
      [{ text: '绝缘厚度', explanation: 'jue-yuan-hou-du' }],
    ]);
  });

  it('refuses an explanation that does not exist and an item the table no longer has', () => {
    const applied = applyExplanationChoices(
      rows,
      [
        { text: '导体电阻', explanation: 'no-such-page' },
        { text: '标志', explanation: null },
      ],
      new Set(['dao-ti-dian-zu']),
    );
    expect(applied).toEqual({
      ok: false,
      errors: [
        { field: explanationField(0), message: '为「导体电阻」选择的解读不存在，请重新选择。' },
        { field: explanationField(1), message: '不合格项目「标志」已不在表格中，请刷新页面。' },
      ],
    });
  });
});

describe('the rows form', () => {
  const sent = (rows: Record<string, string>[], action?: string) => {
    const form = new URLSearchParams();
    rows.forEach((row, index) => {
      for (const field of FORM_ROW_FIELDS) form.set(rowField(index, field), row[field] ?? '');
    });
    if (action) form.set('rowAction', action);
    return form;
  };

  it('reads the rows back in order and round-trips a product', () => {
    const row = rowValuesOf(product('电线', [{ text: '导体电阻' }, { text: '绝缘厚度' }]));
    expect(row.failedItems).toBe('导体电阻；绝缘厚度');
    expect(rowsFromForm(sent([row, { ...row, productName: '插座' }])).map((r) => r.productName)).toEqual([
      '电线',
      '插座',
    ]);
  });

  it('adds an empty row or removes one without saving; any other button saves', () => {
    const rows = rowsFromForm(sent([{ productName: '甲' }, { productName: '乙' }]));
    expect(rowsWithAction(rows, 'add')).toMatchObject({ redrawOnly: true, rows: [{}, {}, emptyRow()] });
    const removed = rowsWithAction(rows, 'remove:0');
    expect(removed.redrawOnly).toBe(true);
    expect(removed.rows.map((r) => r.productName)).toEqual(['乙']);
    expect(rowsWithAction(rows, 'remove:7')).toMatchObject({ redrawOnly: false, rows });
    expect(rowsWithAction(rows, 'save')).toMatchObject({ redrawOnly: false, rows });
  });

  it('stops reading one row past the cap, so the cap can be told', () => {
    const many = Array.from({ length: MAX_FORM_ROWS + 5 }, (_, index) => ({ productName: `产品${index}` }));
    expect(rowsFromForm(sent(many))).toHaveLength(MAX_FORM_ROWS + 1);
  });

  it('keeps explanation links by item text when a table is replaced', () => {
    const before = [product('电线', [{ text: '导体电阻', explanation: 'dao-ti-dian-zu' }])];
    const after = [product('插座', [{ text: '标志' }]), product('电缆', [{ text: '导体电阻' }])];
    expect(keepExplanationLinks(after, before).map((p) => p.failedItems)).toEqual([
      [{ text: '标志' }],
      [{ text: '导体电阻', explanation: 'dao-ti-dian-zu' }],
    ]);
  });
});

describe('the gaps column of the staff list', () => {
  it('counts failed items without an explanation among all of them', () => {
    expect(explanationGapCount([])).toBe('—');
    expect(explanationGapCount([product('电线', [{ text: '导体电阻', explanation: 'd' }])])).toBe('无');
    expect(explanationGapCount([product('电线', [{ text: '导体电阻', explanation: 'd' }, { text: '绝缘厚度' }])])).toBe(
      '1 / 2 项',
    );
  });
});
