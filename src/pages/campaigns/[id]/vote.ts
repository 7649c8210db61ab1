import type { APIRoute } from 'astro';
import { valuesFromFields } from '~/lib/voting/ballot-form';
import { ballotInputFromForm } from '~/lib/voting/ballot-rules';
import { VOTING_STATUS, type VotingErrorCode } from '~/lib/voting/messages';
import { paths } from '~/paths';
import { now as clockNow } from '~/server/clock';
import { serverConfig } from '~/server/config';
import { mediaType, readBodyWithLimit } from '~/server/http/body';
import { requestForRefusedBallot } from '~/server/voting/ballot-round-trip';
import { castBallot, findCampaign } from '~/server/voting/service';
import { identifyVoter } from '~/server/voting/voter';

export const prerender = false;

/**
 * The ballot form without JavaScript (application/x-www-form-urlencoded). A counted ballot (or one
 * this device cast before) answers 303 to its receipt. A refused one is answered in this response by
 * the ballot page, refilled from the POST with the error summary: nothing the voter typed is lost,
 * and nothing of it is put in a URL (where logs, proxies and referrers would keep it).
 */
export const POST: APIRoute = async (context) => {
  const { params, request, clientAddress } = context;
  const campaignId = params.id ?? '';
  const campaign = await findCampaign(campaignId);
  if (!campaign) {
    return new Response('没有找到这项征集活动。', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const candidateIds = campaign.candidates.map((candidate) => candidate.id);
  let form = new URLSearchParams();
  /** Headers the page's answer carries beside its own (Retry-After, Connection: close). */
  const headers = new Headers();
  const backToBallot = (code: VotingErrorCode) => {
    const event = form.get('event')?.trim();
    const kiosk = form.get('kiosk')?.trim() || request.headers.get('x-kiosk-token');
    const pageUrl = new URL(
      paths.campaign(campaign.id, { e: event || undefined, kiosk: kiosk || undefined }),
      context.url,
    );
    return context.rewrite(
      requestForRefusedBallot(pageUrl, request, {
        code,
        status: VOTING_STATUS[code],
        values: valuesFromFields(form, candidateIds),
        headers,
      }),
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
  const kioskToken = form.get('kiosk')?.trim() || request.headers.get('x-kiosk-token');
  const outcome = await castBallot({
    campaignId: campaign.id,
    body: ballotInputFromForm(form),
    voter,
    kioskToken,
    now,
  });

  const redirect = (location: string) => {
    const headers = new Headers({ 'cache-control': 'no-store', location });
    if (voter.setCookie) headers.append('set-cookie', voter.setCookie);
    return new Response(null, { status: 303, headers });
  };
  if (outcome.ok) {
    return redirect(paths.campaignReceipt(campaign.id, { ballot: outcome.ballotId, kiosk: kioskToken || undefined }));
  }
  if (outcome.code === 'ALREADY_VOTED' && outcome.ballotId) {
    return redirect(paths.campaignReceipt(campaign.id, { ballot: outcome.ballotId, already: '1' }));
  }
  if (outcome.retryAfterSeconds !== undefined) headers.set('retry-after', String(outcome.retryAfterSeconds));
  // The page issues the device cookie this request lacked, so the voter's next try can count.
  return backToBallot(outcome.code);
};
