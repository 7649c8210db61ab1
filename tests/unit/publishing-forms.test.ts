import { describe, expect, it } from 'vitest';
import { explanationSchema, recallSchema } from '../../src/lib/content-schemas';
import {
  explanationFromForm,
  explanationToForm,
  formErrors,
  RECALL_FORM,
  recallFromForm,
  recallToForm,
  splitList,
} from '../../src/lib/publishing/forms';
import { parseContent } from '../../src/lib/publishing/workflow';

describe('explanation form', () => {
  it('turns lists into arrays, blanks into null, and always matches the test item itself', () => {
    const data = explanationFromForm({
      testItem: ' 甲醛含量 ',
      aliases: '甲醛、游离甲醛\n甲醛',
      category: '纺织品',
      whatItIs: '',
      standards: 'GB 18401-2010 国家纺织产品基本安全技术规范\n\nGB 31701-2015',
      sourceUrl: 'https://example.gov.cn/e',
    });
    expect(data).toMatchObject({
      testItem: '甲醛含量',
      aliases: ['甲醛含量', '甲醛', '游离甲醛'],
      whatItIs: null,
      standards: ['GB 18401-2010 国家纺织产品基本安全技术规范', 'GB 31701-2015'],
      source: { url: 'https://example.gov.cn/e', note: null },
    });
    const parsed = explanationSchema.parse(data);
    expect(explanationFromForm(explanationToForm(parsed))).toEqual(data);
  });

  it('splits on the separators staff type', () => {
    expect(splitList('a，b,c；d;e\r\nf、 g ')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });
});

describe('recall form', () => {
  const values = {
    company: '上海某电器有限公司',
    product: '电热暖手器',
    models: 'NST-60，2026年10月生产',
    dateIso: '2027-03-01',
    sourceUrl: 'https://example.gov.cn/r',
  };

  it('composes a title when none is typed, and reads the date field as the day', () => {
    const data = recallFromForm(values);
    expect(data).toMatchObject({
      title: '上海某电器有限公司召回电热暖手器',
      titleComposed: true,
      date: { text: '2027-03-01', iso: '2027-03-01', year: 2027 },
      models: 'NST-60，2026年10月生产',
    });
    const parsed = recallSchema.parse({ ...data, firstPublishedAt: '2027-03-15' });
    expect(recallFromForm(recallToForm(parsed))).toEqual(data);
  });

  it('keeps the source’s own wording of a date without a day', () => {
    expect(recallFromForm({ ...values, dateIso: '', dateText: '2017年一季度' }).date).toEqual({ text: '2017年一季度' });
  });

  it('puts the content’s errors on the form’s fields, in the form’s order', () => {
    const parsed = parseContent(
      'recalls',
      recallFromForm({ dateIso: '2027-02-30', sourceUrl: 'not a url' }),
      '2027-03-15',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(formErrors(parsed.errors, RECALL_FORM)).toEqual([
      { field: 'title', message: '请填写标题，或填写企业和产品以自动生成标题。' },
      { field: 'company', message: '请填写召回企业。' },
      { field: 'product', message: '请填写召回产品。' },
      { field: 'dateIso', message: '不是有效的日期' },
      { field: 'sourceUrl', message: '请填写来源网址（以 http:// 或 https:// 开头的完整地址）。' },
    ]);
  });
});
