import { describe, expect, test } from 'vitest';
import { paths, routePatterns } from '../../src/paths';

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

  test('page 1 of a paged staff list has no page query, so each page has one address', () => {
    expect(paths.adminUsers()).toBe('/admin/users/');
    expect(paths.adminUsers(1)).toBe('/admin/users/');
    expect(paths.adminUsers(3)).toBe('/admin/users/?page=3');
    expect(paths.adminCampaignRanking('c', 1)).toBe('/admin/campaigns/c/#ranking-title');
    expect(paths.adminCampaignRanking('c', 2)).toBe('/admin/campaigns/c/?rankingPage=2#ranking-title');
    expect(paths.adminWriteIns('c', { page: 1, q: '' })).toBe('/admin/campaigns/c/write-ins/');
    expect(paths.adminWriteIns('c', { page: 2, q: '头盔' })).toBe(
      `/admin/campaigns/c/write-ins/?page=2&q=${encodeURIComponent('头盔')}`,
    );
  });

  test('the login page carries where to go back to and why the session ended', () => {
    expect(paths.adminLogin({ next: '/admin/', expired: '1' })).toBe('/admin/login/?next=%2Fadmin%2F&expired=1');
    expect(paths.adminLogin({ loggedOut: '1' })).toBe('/admin/login/?loggedOut=1');
    expect(paths.adminPassword()).toBe('/admin/password/');
  });

  test('route patterns match the paths the builders make, and only those', () => {
    expect(routePatterns.adminPage.test(paths.adminPlan(2028))).toBe(true);
    expect(routePatterns.adminPage.test(paths.admin())).toBe(true);
    expect(routePatterns.adminPage.test('/administrator')).toBe(false);
    expect(routePatterns.adminPage.test('https://evil.example/admin/')).toBe(false);
    expect(routePatterns.adminArea.test(paths.apiAdminUsers())).toBe(true);
    expect(routePatterns.adminArea.test(paths.adminUsers())).toBe(true);
    expect(routePatterns.adminArea.test(paths.campaigns())).toBe(false);
    expect(routePatterns.assistantArea.test(paths.apiAssistant())).toBe(true);
    expect(routePatterns.assistantArea.test(paths.assistant())).toBe(true);
    expect(routePatterns.api.test(paths.apiHealth())).toBe(true);
    expect(routePatterns.api.test('/apis/')).toBe(false);
  });

  test('the default statistics scope has no slug', () => {
    expect(paths.stats()).toBe('/stats/');
    expect(paths.stats('national')).toBe('/stats/national/');
  });
});
