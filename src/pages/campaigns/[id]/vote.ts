import type { APIRoute } from 'astro';
import { ballotInputFromForm } from '~/lib/voting/ballot-rules';
import { paths } from '~/paths';
import { now as clockNow } from '~/server/clock';
import { serverConfig } from '~/server/config';
import { mediaType, readBodyWithLimit } from '~/server/http/body';
import { castBallot, findCampaign } from '~/server/voting/service';
import { identifyVoter } from '~/server/voting/voter';

export const prerender = false;

const REFILLED_FIELDS = /^(choices|district|(product|issue|venue)[1-3])$/;
/** Proxies commonly refuse request lines over 8 KiB; long write-ins are then not handed back. */
const MAX_REDIRECT_LENGTH = 6000;

/**
 * The ballot form without JavaScript (application/x-www-form-urlencoded). Always answers with a
 * 303 to a page: the receipt, or the ballot again with `?error=CODE` for the page to explain.
 */
export const POST: APIRoute = async ({ params, request, clientAddress }) => {
  const campaignId = params.id ?? '';
  const campaign = await findCampaign(campaignId);
  if (!campaign) {
    return new Response('没有找到这项征集活动。', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const ballotPage = paths.campaign(campaign.id);
  const headers = new Headers({ 'cache-control': 'no-store' });
  const redirect = (location: string) => {
    headers.set('location', location);
    return new Response(null, { status: 303, headers });
  };

  let form = new URLSearchParams();
  const backToBallot = (code: string) => {
    const query = new URLSearchParams({ error: code });
    const event = form.get('event')?.trim();
    const kiosk = form.get('kiosk')?.trim() || request.headers.get('x-kiosk-token');
    if (event) query.set('e', event);
    if (kiosk) query.set('kiosk', kiosk);
    // Hand the answers back so the page can refill the form: a no-JS voter loses nothing typed.
    const refill = new URLSearchParams();
    for (const [name, value] of form) if (REFILLED_FIELDS.test(name) && value.trim()) refill.append(name, value);
    const withRefill = `${ballotPage}?${query}&${refill}`;
    return redirect(
      refill.size > 0 && withRefill.length <= MAX_REDIRECT_LENGTH ? withRefill : `${ballotPage}?${query}`,
    );
  };

  if (mediaType(request) !== 'application/x-www-form-urlencoded') return backToBallot('UNSUPPORTED_MEDIA_TYPE');
  const read = await readBodyWithLimit(request, serverConfig().BALLOT_BODY_LIMIT_BYTES);
  if (!read.ok) {
    headers.set('connection', 'close');
    return backToBallot(read.code);
  }
  form = new URLSearchParams(read.text);

  const now = clockNow();
  const voter = await identifyVoter(request, clientAddress, now);
  if (voter.setCookie) headers.append('set-cookie', voter.setCookie);
  const kioskToken = form.get('kiosk')?.trim() || request.headers.get('x-kiosk-token');
  const outcome = await castBallot({
    campaignId: campaign.id,
    body: ballotInputFromForm(form),
    voter,
    kioskToken,
    now,
  });

  if (outcome.ok) {
    return redirect(paths.campaignReceipt(campaign.id, { ballot: outcome.ballotId, kiosk: kioskToken || undefined }));
  }
  if (outcome.code === 'ALREADY_VOTED' && outcome.ballotId) {
    return redirect(paths.campaignReceipt(campaign.id, { ballot: outcome.ballotId, already: '1' }));
  }
  return backToBallot(outcome.code);
};
