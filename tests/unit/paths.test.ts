import { describe, expect, test } from 'vitest';
import { paths } from '../../src/paths';

describe('paths', () => {
  test('campaign routes encode the ids that come from data', () => {
    expect(paths.campaign('2027-ni-dian-wo-cha')).toBe('/campaigns/2027-ni-dian-wo-cha/');
    expect(paths.campaignResults('a b')).toBe('/campaigns/a%20b/results/');
    expect(paths.eventPoster('c', 'X/1')).toBe('/campaigns/c/events/X%2F1/poster/');
    expect(paths.apiTallyStream('c')).toBe('/api/campaigns/c/tally/stream');
  });

  test('queries leave out unset values, and an empty query leaves no "?"', () => {
    expect(paths.campaign('c', { e: 'SCHOOL1', kiosk: undefined })).toBe('/campaigns/c/?e=SCHOOL1');
    expect(paths.campaignReceipt('c', { ballot: 'b1', kiosk: undefined })).toBe('/campaigns/c/receipt/?ballot=b1');
    expect(paths.adminAudit()).toBe('/admin/audit/');
    expect(paths.adminAudit(2)).toBe('/admin/audit/?page=2');
    expect(paths.adminLogin({ next: '/admin/users/' })).toBe('/admin/login/?next=%2Fadmin%2Fusers%2F');
  });

  test('staff plan links keep the fragment the page scrolls to', () => {
    expect(paths.adminPlanItem(2028, 'p1')).toBe('/admin/plan/2028/#item-p1');
    expect(paths.adminPlanItemEdit(2028, 'p1')).toBe('/admin/plan/2028/?edit=p1#edit-p1');
    expect(paths.adminPlanNewItem(2028, 'c', '头盔')).toBe(
      `/admin/plan/2028/?campaign=c&nomination=${encodeURIComponent('头盔')}#new-item`,
    );
  });

  test('the default statistics scope has no slug', () => {
    expect(paths.stats()).toBe('/stats/');
    expect(paths.stats('national')).toBe('/stats/national/');
  });
});
