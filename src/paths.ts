/**
 * URL builders, so that every route of the portal is spelled in one place: the public pages, the
 * 你点我查 campaign pages, the staff pages and the JSON API. Path segments that come from data
 * (campaign ids, event codes) are percent-encoded here, so no caller has to remember to.
 */

import type { PublicationKind } from '~/lib/publishing/model';

type Query = Record<string, string | number | undefined>;
type Optional<T> = { [K in keyof T]?: T[K] | undefined };

/** `path?query#fragment`, leaving out unset query values and an empty query. */
function withQuery(path: string, query: Query = {}, fragment?: string): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return `${path}${text ? `?${text}` : ''}${fragment ? `#${fragment}` : ''}`;
}

const segment = encodeURIComponent;

/** Page 1 is the page without a `page` query, so each page has one address. */
function firstPageUnset(page: number | undefined): number | undefined {
  return page !== undefined && page > 1 ? page : undefined;
}

export const paths = {
  home: () => '/',
  announcements: () => '/announcements/',
  announcement: (slug: string) => `/announcements/${slug}/`,
  /** An earlier version of a corrected announcement. */
  /** Its sharing card (PNG); `version` is the card's hash, so a corrected card has a new address. */
  announcementCard: (slug: string, version?: string) => withQuery(`/announcements/${slug}/card.png`, { v: version }),
  announcementRevision: (slug: string, number: number) => `/announcements/${slug}/revisions/${number}/`,
  explanations: () => '/explanations/',
  explanation: (slug: string) => `/explanations/${slug}/`,
  explanationRevision: (slug: string, number: number) => `/explanations/${slug}/revisions/${number}/`,
  recalls: () => '/recalls/',
  recall: (slug: string) => `/recalls/${slug}/`,
  recallCard: (slug: string, version?: string) => withQuery(`/recalls/${slug}/card.png`, { v: version }),
  recallRevision: (slug: string, number: number) => `/recalls/${slug}/revisions/${number}/`,
  plans: () => '/plan/',
  plan: (year: number) => `/plan/${year}/`,
  assistant: () => '/assistant/',
  /** The statistics of one scope; the default scope (上海市) has no slug. */
  stats: (scopeSlug?: string) => (scopeSlug ? `/stats/${scopeSlug}/` : '/stats/'),
  search: (query?: string) => (query ? `/search/?q=${encodeURIComponent(query)}` : '/search/'),
  practice: () => '/practice/',
  /** The Pagefind bundle of the live search index (base index). */
  searchIndex: () => '/pagefind/',
  /** The live index's manifest: which delta bundle to merge, which base records it supersedes. */
  searchIndexManifest: () => '/pagefind/live.json',
  /** One delta bundle (the items changed since the base index was built). */
  searchIndexDelta: (name: string) => `/pagefind/delta/${segment(name)}/`,
  /** An attachment of a published item, always sent as a download (src/pages/attachments/). */
  attachment: (id: string, fileName: string) => `/attachments/${segment(id)}/${segment(fileName)}`,
  announcementsFeed: () => '/rss.xml',
  recallsFeed: () => '/recalls/rss.xml',

  // 你点我查 campaigns
  campaigns: () => '/campaigns/',
  /** The ballot page; `e` attributes the ballot to an outreach event, `error` carries a no-JS refusal back. */
  campaign: (id: string, query?: Optional<{ e: string; error: string; kiosk: string }>) =>
    withQuery(`/campaigns/${segment(id)}/`, query),
  /** Where the no-JavaScript ballot form posts (no trailing slash: it is an endpoint, not a page). */
  campaignVote: (id: string) => `/campaigns/${segment(id)}/vote`,
  campaignReceipt: (id: string, query?: Optional<{ ballot: string; kiosk: string; already: '1' }>) =>
    withQuery(`/campaigns/${segment(id)}/receipt/`, query),
  campaignResults: (id: string) => `/campaigns/${segment(id)}/results/`,
  campaignOutcome: (id: string) => `/campaigns/${segment(id)}/outcome/`,
  eventPoster: (campaignId: string, eventCode: string) =>
    `/campaigns/${segment(campaignId)}/events/${segment(eventCode)}/poster/`,
  /** The short address on posters: redirects to the event's ballot. */
  eventShortLink: (eventCode: string) => `/e/${segment(eventCode)}`,
  eventProjector: (campaignId: string, eventCode: string) =>
    `/campaigns/${segment(campaignId)}/events/${segment(eventCode)}/projector/`,

  // Staff pages
  admin: () => '/admin/',
  adminLogin: (query?: Optional<{ next: string; loggedOut: '1'; expired: '1' }>) => withQuery('/admin/login/', query),
  adminLogout: () => '/admin/logout/',
  adminPassword: () => '/admin/password/',
  adminUsers: (page?: number) => withQuery('/admin/users/', { page: firstPageUnset(page) }),
  adminAudit: (page?: number) => withQuery('/admin/audit/', { page }),
  adminCampaigns: () => '/admin/campaigns/',
  adminCampaign: (id: string) => `/admin/campaigns/${segment(id)}/`,
  /** One page of the campaign's ranking, scrolled to the ranking's heading. */
  adminCampaignRanking: (id: string, page: number) =>
    withQuery(`/admin/campaigns/${segment(id)}/`, { rankingPage: firstPageUnset(page) }, 'ranking-title'),
  /** The write-in queue; `q` is the merge-target search the queue page keeps while paging. */
  adminWriteIns: (campaignId: string, query?: Optional<{ page: number; q: string }>) =>
    withQuery(`/admin/campaigns/${segment(campaignId)}/write-ins/`, {
      page: firstPageUnset(query?.page),
      q: query?.q || undefined,
    }),
  adminPlans: () => '/admin/plan/',
  adminPlan: (year: number) => `/admin/plan/${year}/`,
  adminPlanItem: (year: number, itemId: string) => withQuery(`/admin/plan/${year}/`, {}, `item-${itemId}`),
  adminPlanItemEdit: (year: number, itemId: string) =>
    withQuery(`/admin/plan/${year}/`, { edit: itemId }, `edit-${itemId}`),
  /** The plan's "new item" form, filled in from a campaign nomination. */
  adminPlanNewItem: (year: number, campaignId: string, nomination: string) =>
    withQuery(`/admin/plan/${year}/`, { campaign: campaignId, nomination }, 'new-item'),
  /** The draft at phone and desktop width, side by side. */
  adminAnnouncementPreview: (id: string) => `/admin/announcements/${segment(id)}/preview/`,
  /** The draft as the public page renders it: the only page the portal lets be framed, by itself only. */
  adminAnnouncementPreviewFrame: (id: string) => `/admin/announcements/${segment(id)}/preview/frame/`,
  adminPlanCsv: (year: number) => `/admin/plan/${year}.csv`,
  /** Staff lists of what staff publish: `/admin/announcements/`, `/admin/explanations/`, `/admin/recalls/`. */
  adminPublications: (kind: PublicationKind, page?: number) =>
    withQuery(`/admin/${kind}/`, { page: firstPageUnset(page) }),
  adminPublicationNew: (kind: PublicationKind) => `/admin/${kind}/new/`,
  /**
   * One item's staff page; `created` says it was just made (after the new-item form's redirect);
   * `fragment` scrolls to one of its sections (an announcement's `table` after its facts are saved).
   */
  adminPublication: (kind: PublicationKind, id: string, query?: Optional<{ created: '1' }>, fragment?: string) =>
    withQuery(`/admin/${kind}/${segment(id)}/`, query, fragment),
  /** Everything waiting for 审核 or for its scheduled time, across kinds. */
  /** Each list of the review queue pages on its own; the fragment keeps the reader at that list. */
  adminReview: (pages: { waiting?: number; scheduled?: number } = {}, list?: 'waiting' | 'scheduled') =>
    withQuery(
      '/admin/review/',
      { waiting: firstPageUnset(pages.waiting), scheduled: firstPageUnset(pages.scheduled) },
      list,
    ),
  adminPlanJson: (year: number) => `/admin/plan/${year}.json`,
  /** Machine clients' tokens (admins only). */
  adminTokens: () => '/admin/tokens/',

  // JSON API
  apiHealth: () => '/api/health',
  apiAssistant: () => '/api/assistant',
  apiCampaigns: () => '/api/campaigns',
  apiCampaign: (id: string) => `/api/campaigns/${segment(id)}`,
  apiBallots: (campaignId: string) => `/api/campaigns/${segment(campaignId)}/ballots`,
  apiTally: (campaignId: string) => `/api/campaigns/${segment(campaignId)}/tally`,
  apiTallyStream: (campaignId: string) => `/api/campaigns/${segment(campaignId)}/tally/stream`,
  apiEvent: (code: string) => `/api/events/${segment(code)}`,
  apiAdminSession: () => '/api/admin/session',
  apiAdminLogout: () => '/api/admin/logout',
  apiAdminUsers: () => '/api/admin/users',
  apiAdminAudit: () => '/api/admin/audit',
  apiAdminTally: (campaignId: string) => `/api/admin/campaigns/${segment(campaignId)}/tally`,
  apiAdminWriteIns: (campaignId: string) => `/api/admin/campaigns/${segment(campaignId)}/write-ins`,
  apiAdminPlanItems: (year: number) => `/api/admin/plan/${year}/items`,
  apiAdminPlanItem: (year: number, itemId: string) => `/api/admin/plan/${year}/items/${segment(itemId)}`,

  // The machine interface (Bearer tokens; described by its OpenAPI file)
  apiV1Announcements: () => '/api/v1/announcements',
  apiV1Announcement: (id: string) => `/api/v1/announcements/${segment(id)}`,
  apiV1OpenApi: () => '/api/v1/openapi.json',
} as const;

/** Patterns for matching request paths the portal did not build itself, next to the builders they must agree with. */
export const routePatterns = {
  /** The staff pages a login may send someone back to: `/admin` and below, in plain characters. */
  adminPage: /^\/admin(\/[A-Za-z0-9\-_/.]*)?$/,
  /** The staff's pages and JSON API. */
  adminArea: /^\/(api\/)?admin(\/|$)/,
  /** The assistant's page and JSON API. */
  assistantArea: /^\/(api\/)?assistant(\/|$)/,
  /** Staff previews, framed by the preview page on the same origin (see src/server/http/security-headers.ts). */
  adminPreviewFrame: /^\/admin\/announcements\/[^/]+\/preview\/frame\/?$/,
  /** The JSON API, which never goes through a static-file lookup. */
  api: /^\/api\//,
} as const;
