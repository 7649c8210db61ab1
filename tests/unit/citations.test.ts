import { describe, expect, it } from 'vitest';
import { citationsOf } from '../../src/lib/sampling/citations';
import { scopeOfSlug } from '../../src/lib/sampling/stats';

const product = (productName: string, brand: string | null, explanation: string | null) => ({
  productName,
  brand,
  failedItems: [{ text: '甲醛含量', explanation }],
});

describe('citationsOf', () => {
  const announcements = [
    {
      id: 'a',
      data: { title: '公告甲', failedProducts: [product('床垫', '好梦', 'formaldehyde'), product('枕头', null, null)] },
    },
    { id: 'b', data: { title: '公告乙', failedProducts: [product('沙发', null, 'other')] } },
    { id: 'c', data: { title: '公告丙', failedProducts: [product('衣柜', null, 'formaldehyde')] } },
  ] as unknown as Parameters<typeof citationsOf>[0];

  it('lists the announcements whose failed items link to the explanation, with those products', () => {
    expect(citationsOf(announcements, 'formaldehyde')).toEqual([
      { announcementId: 'a', announcementTitle: '公告甲', products: ['床垫（好梦）'] },
      { announcementId: 'c', announcementTitle: '公告丙', products: ['衣柜'] },
    ]);
  });

  it('stops at the limit', () => {
    expect(citationsOf(announcements, 'formaldehyde', 1).map((c) => c.announcementId)).toEqual(['a']);
  });
});

describe('scopeOfSlug', () => {
  it('maps statistics addresses to scopes and refuses others', () => {
    expect(scopeOfSlug('')).toBe('shanghai');
    expect(scopeOfSlug('national')).toBe('national');
    expect(scopeOfSlug('other-regions')).toBe('other');
    expect(scopeOfSlug('nowhere')).toBeNull();
  });
});
