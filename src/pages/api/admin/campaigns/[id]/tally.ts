/**
 * The staff tally of a campaign as JSON: breakdowns, one page of the ranking (`?page=`, 100 a page;
 * every approved write-in group is a nomination) and the 50 newest flags (`flagCount` says how many).
 */
import type { APIRoute } from 'astro';
import { pageOf, parsePageNumber } from '~/lib/paging';
import { loadCampaignReview } from '~/server/admin/campaign-review';
import { adminError, adminJson, requireStaffApi } from '~/server/admin/guard';
import { methodNotAllowed } from '~/server/http/method-not-allowed';

export const prerender = false;

export const GET: APIRoute = async (context) => {
  const staff = await requireStaffApi(context);
  if (staff instanceof Response) return staff;
  const review = await loadCampaignReview(context.params.id ?? '');
  if (!review) return adminError('NOT_FOUND');
  const { campaign, tally, storedTotal, setAsides, breakdown, ranking, flags, planItems, decisions, publishedAt } =
    review;
  const rankingPage = pageOf(ranking, parsePageNumber(context.url.searchParams.get('page')), 100);
  return adminJson({
    campaignId: campaign.id,
    tally,
    storedTotal,
    setAsides: setAsides.map(({ ballotIds, removed: _counted, ...setAside }) => ({
      ...setAside,
      ballotCount: ballotIds.length,
    })),
    breakdown,
    ranking: rankingPage.items,
    rankingPage: { page: rankingPage.page, pages: rankingPage.pages, total: rankingPage.total },
    flags: flags.slice(0, 50).map((flag) => ({ ...flag, ballotIds: flag.ballotIds.slice(0, 20) })),
    flagCount: flags.length,
    planItems,
    decisions,
    publishedAt,
  });
};

/** HEAD is answered like GET without the body (Astro strips it); exported because `ALL` would catch it first. */
export const HEAD = GET;

/** Any other method: 405 METHOD_NOT_ALLOWED as JSON (instead of Astro's empty 404 and a log line). */
export const ALL = methodNotAllowed('GET', 'HEAD');
