import { describe, expect, it } from 'vitest';
import { bearerSecret, newTokenSchema, parseScopeList, tokenNameTaken } from '../../src/lib/publishing/api-tokens';
import { linkFailedItems } from '../../src/lib/publishing/explanation-match';
import {
  factsPartSchema,
  jsonSubmissionSchema,
  splitSubmission,
  submissionStatus,
} from '../../src/lib/publishing/machine-submission';
import type { Publication } from '../../src/lib/publishing/model';

describe('token rules', () => {
  it('reads scopes as the command line writes them, in a fixed order', () => {
    expect(parseScopeList('publish, drafts:create')).toEqual({ ok: true, scopes: ['drafts:create', 'publish'] });
    expect(parseScopeList('drafts:create,admin')).toEqual({ ok: false, message: '权限只能是 drafts:create、publish' });
    expect(parseScopeList(' , ')).toEqual({ ok: false, message: '请至少选择一项权限' });
  });

  it('takes the secret of a Bearer header only', () => {
    expect(bearerSecret('Bearer abc.DEF_123-~+/=')).toBe('abc.DEF_123-~+/=');
    expect(bearerSecret('bearer   abc ')).toBe('abc');
    expect(bearerSecret('Basic YWRtaW46eA==')).toBeNull();
    expect(bearerSecret('Bearer two words')).toBeNull();
    expect(bearerSecret(null)).toBeNull();
  });

  it('names tokens plainly and once among the tokens in use', () => {
    expect(newTokenSchema.safeParse({ name: '监管系统-1', scopes: ['drafts:create'] }).success).toBe(true);
    expect(newTokenSchema.safeParse({ name: '-x', scopes: ['drafts:create'] }).success).toBe(false);
    expect(newTokenSchema.safeParse({ name: 'x', scopes: [] }).success).toBe(false);
    const tokens = [
      { name: 'Jianguan', revokedAt: null },
      { name: 'old', revokedAt: '2026-11-01T00:00:00Z' },
    ];
    expect(tokenNameTaken(tokens, 'jianguan')).toBe(true);
    expect(tokenNameTaken(tokens, 'old')).toBe(false);
  });
});

describe('machine submissions', () => {
  it('splits a JSON body into facts, rows and the publish flag', () => {
    const body = jsonSubmissionSchema.parse({
      title: 'T',
      failedProducts: [{ productName: '电线', failedItems: '结构' }],
    });
    expect(splitSubmission(body)).toEqual({
      facts: { title: 'T' },
      publish: false,
      rows: [{ productName: '电线', failedItems: '结构' }],
      columnMapping: {},
    });
  });

  it('refuses what the portal sets itself, rows in the facts part, and a bad mapping', () => {
    const portal = jsonSubmissionSchema.safeParse({ firstPublishedAt: '2026-01-01', failedProducts: [] });
    expect(portal.error?.issues.map((issue) => issue.path)).toEqual([['firstPublishedAt']]);
    const rows = factsPartSchema.safeParse({ failedProducts: [] });
    expect(rows.error?.issues[0]?.message).toBe('不合格产品已在上传的表格里，facts 里不要再写');
    expect(factsPartSchema.safeParse({ columnMapping: { 厂家: 'factory' } }).success).toBe(false);
    expect(splitSubmission(factsPartSchema.parse({ columnMapping: { 厂家: 'manufacturer' } })).columnMapping).toEqual({
      厂家: 'manufacturer',
    });
  });

  it('names where a submitted announcement stands', () => {
    const base = { withdrawal: null, draft: null, revisions: [{}] } as unknown as Publication;
    expect(submissionStatus(base)).toBe('published');
    expect(submissionStatus({ ...base, draft: { stage: 'in_review' } } as Publication)).toBe('in_review');
    expect(submissionStatus({ ...base, withdrawal: { reason: 'x', at: '', by: '' } })).toBe('withdrawn');
  });

  it('keeps known links, reports unknown ones and links confident matches', () => {
    const product = {
      productName: '电线',
      brand: null,
      modelSpec: null,
      batchOrDate: null,
      manufacturer: null,
      sampledUnit: null,
      inspectionBody: null,
    };
    const { products, unknown } = linkFailedItems(
      [
        { ...product, failedItems: [{ text: '导体电阻' }, { text: '绝缘厚度', explanation: 'jue-yuan' }] },
        { ...product, failedItems: [{ text: '结构', explanation: 'missing' }] },
      ],
      '电线电缆',
      [
        { slug: 'dao-ti', aliases: ['导体电阻'], category: '电线电缆' },
        { slug: 'jue-yuan', aliases: ['绝缘'], category: '电线电缆' },
      ],
    );
    expect(products.map((p) => p.failedItems)).toEqual([
      [
        { text: '导体电阻', explanation: 'dao-ti' },
        { text: '绝缘厚度', explanation: 'jue-yuan' },
      ],
      [{ text: '结构', explanation: 'missing' }],
    ]);
    expect(unknown).toEqual([{ product: 1, item: '结构', slug: 'missing' }]);
  });
});
