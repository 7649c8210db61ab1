/**
 * The voting use cases, shared by the JSON API, the no-JS form handler and the server-rendered pages.
 * Routes stay thin: they read the request, call one of these, and shape the answer.
 */
import { checkBallot } from '~/lib/voting/ballot-rules';
import {
  campaignStatus,
  isTallyVisible,
  type Campaign,
  type CampaignStatus,
  type WriteInLimits,
} from '~/lib/voting/campaign-schema';
import { secondsUntilCookieCounts } from '~/lib/voting/device-cookie';
import { DISTRICTS } from '~/lib/voting/districts';
import { isEventActive, normaliseEventCode } from '~/lib/voting/event-code';
import type { VotingErrorCode } from '~/lib/voting/messages';
import { RECEIPT_ID_BYTES, receiptIdFromBytes } from '~/lib/voting/receipt-id';
import { officialTally, type SetAside } from '~/lib/voting/set-aside';
import { publicTally, type Channel, type EventType, type PublicTally } from '~/lib/voting/tally';
import { randomBytes } from 'node:crypto';
import { serverClock } from '~/server/clock';
import { getStore } from '~/server/store/instance';
import { StoreUnavailableError, type Kiosk, type OutreachEvent } from '~/server/store/store';
import { allCampaigns, findCampaign } from './campaigns';
import { deviceCookieMinAgeSeconds, kioskMinIntervalSeconds, takeBallotToken } from './limits';
import type { Voter } from './voter';

export { allCampaigns, findCampaign };

/** Event fields anyone may see (no creation time, no kiosks). */
export interface PublicEvent {
  code: string;
  name: string;
  type: EventType;
  place: string;
  date: string;
  /** Whether ballots may carry this code right now. */
  active: boolean;
  campaignId: string;
  activeFrom: string;
  activeUntil: string;
}

export function toPublicEvent(event: OutreachEvent, now = serverClock.now()): PublicEvent {
  return {
    code: event.code,
    name: event.name,
    type: event.type,
    place: event.place,
    date: event.date,
    active: isEventActive(event, now),
    campaignId: event.campaignId,
    activeFrom: event.activeFrom,
    activeUntil: event.activeUntil,
  };
}

/** The event with this code (any case), or null. */
export async function getPublicEvent(code: string, now = serverClock.now()): Promise<PublicEvent | null> {
  const normalised = normaliseEventCode(code);
  if (!normalised) return null;
  const event = await (await getStore()).events.get(normalised);
  return event ? toPublicEvent(event, now) : null;
}

/** A valid, unrevoked kiosk of this campaign, or null. */
export async function findKiosk(token: string | null | undefined, campaignId: string): Promise<Kiosk | null> {
  if (!token) return null;
  const kiosk = await (await getStore()).kiosks.byToken(token);
  return kiosk && kiosk.campaignId === campaignId ? kiosk : null;
}

export interface CampaignSummary {
  id: string;
  title: string;
  status: CampaignStatus;
}

export async function listCampaignSummaries(now = serverClock.now()): Promise<CampaignSummary[]> {
  return (await allCampaigns()).map((campaign) => ({
    id: campaign.id,
    title: campaign.title,
    status: campaignStatus(campaign, now),
  }));
}

/** The body of `GET /api/campaigns/<id>`. */
export interface CampaignView {
  id: string;
  title: string;
  description: string;
  opensAt: string;
  closesAt: string;
  status: CampaignStatus;
  maxChoices: number;
  tallyPublic: boolean;
  candidates: { id: string; name: string; reason: string }[];
  districts: string[];
  writeInLimits: WriteInLimits;
  example: boolean;
  event?: Omit<PublicEvent, 'campaignId' | 'activeFrom' | 'activeUntil'>;
  kiosk?: { minIntervalSeconds: number };
}

/**
 * A campaign as the ballot needs it; `eventCode` adds the event when it belongs to this campaign,
 * `kioskToken` adds the kiosk pacing when the token is a valid kiosk of this campaign.
 */
export async function getCampaignView(
  id: string,
  options: { eventCode?: string | null; kioskToken?: string | null; now?: Date } = {},
): Promise<CampaignView | null> {
  const campaign = await findCampaign(id);
  if (!campaign) return null;
  const now = options.now ?? serverClock.now();
  const view: CampaignView = {
    id: campaign.id,
    title: campaign.title,
    description: campaign.description,
    opensAt: campaign.opensAt,
    closesAt: campaign.closesAt,
    status: campaignStatus(campaign, now),
    maxChoices: campaign.maxChoices,
    tallyPublic: campaign.tallyPublic,
    candidates: campaign.candidates.map(({ id: candidateId, name, reason }) => ({ id: candidateId, name, reason })),
    districts: [...DISTRICTS],
    writeInLimits: campaign.writeInLimits,
    example: campaign.example,
  };
  const kiosk = await findKiosk(options.kioskToken, campaign.id);
  const eventCode = kiosk?.eventCode ?? options.eventCode;
  if (eventCode) {
    const event = await getPublicEvent(eventCode, now);
    if (event && event.campaignId === campaign.id) {
      view.event = {
        code: event.code,
        name: event.name,
        type: event.type,
        place: event.place,
        date: event.date,
        active: event.active,
      };
    }
  }
  if (kiosk) view.kiosk = { minIntervalSeconds: kioskMinIntervalSeconds() };
  return view;
}

// ---- tallies ------------------------------------------------------------------------------------

/**
 * Public tallies per campaign, emptied by every counted ballot (`tallies.onChange`, in this and every
 * process sharing the store). Set-asides change rarely: they are read again when an entry is 10 s
 * old, so one made by another process shows within 10 s; one made here at once (`recountPublicTally`).
 */
const tallyCache = new Map<string, { tally: PublicTally | null; setAsides: SetAside[]; readAtMs: number }>();
const SET_ASIDE_READ_MS = 10_000;
let tallySubscription: (() => void) | null = null;
const tallyListeners = new Map<string, Set<(tally: PublicTally) => void>>();
const pushTimers = new Map<string, { timer: NodeJS.Timeout | null; lastPush: number }>();
/** At most two pushes per second per campaign, whatever the ballot rate. */
const PUSH_INTERVAL_MS = 500;

async function watchTallies(): Promise<void> {
  if (tallySubscription) return;
  const store = await getStore();
  if (tallySubscription) return;
  tallySubscription = store.tallies.onChange((campaignId) => {
    const cached = tallyCache.get(campaignId);
    if (cached) cached.tally = null;
    schedulePush(campaignId);
  });
}

function schedulePush(campaignId: string): void {
  if (!tallyListeners.get(campaignId)?.size) return;
  const state = pushTimers.get(campaignId) ?? { timer: null, lastPush: 0 };
  pushTimers.set(campaignId, state);
  if (state.timer) return;
  const wait = Math.max(0, state.lastPush + PUSH_INTERVAL_MS - serverClock.now().getTime());
  state.timer = setTimeout(() => {
    state.timer = null;
    state.lastPush = serverClock.now().getTime();
    void findCampaign(campaignId).then(async (campaign) => {
      if (!campaign) return;
      const tally = await tallyOf(campaign);
      for (const listener of tallyListeners.get(campaignId) ?? []) listener(tally);
    });
  }, wait);
}

async function tallyOf(campaign: Campaign): Promise<PublicTally> {
  await watchTallies();
  const nowMs = serverClock.now().getTime();
  const cached = tallyCache.get(campaign.id);
  const setAsidesFresh = cached !== undefined && nowMs - cached.readAtMs < SET_ASIDE_READ_MS;
  if (setAsidesFresh && cached.tally) return cached.tally;
  const store = await getStore();
  const [running, setAsides] = await Promise.all([
    store.tallies.get(campaign.id),
    setAsidesFresh ? cached.setAsides : store.setAsides.list(campaign.id),
  ]);
  const official = officialTally(running, setAsides);
  const tally = publicTally(campaign, official.tally, official.setAside);
  tallyCache.set(campaign.id, { tally, setAsides, readAtMs: setAsidesFresh ? cached.readAtMs : nowMs });
  return tally;
}

/** After staff set ballots aside or restore them: the next read recounts, and projectors are told. */
export function recountPublicTally(campaignId: string): void {
  tallyCache.delete(campaignId);
  schedulePush(campaignId);
}

export type TallyRead = { ok: true; tally: PublicTally } | { ok: false; code: 'NOT_FOUND' | 'TALLY_NOT_PUBLIC' };

/** The public tally, when the campaign shows it (while running if `tallyPublic`, always after close). */
export async function getPublicTally(campaignId: string, now = serverClock.now()): Promise<TallyRead> {
  const campaign = await findCampaign(campaignId);
  if (!campaign) return { ok: false, code: 'NOT_FOUND' };
  if (!isTallyVisible(campaign, now)) return { ok: false, code: 'TALLY_NOT_PUBLIC' };
  return { ok: true, tally: await tallyOf(campaign) };
}

/** Calls `listener` with the new public tally after ballots arrive (throttled); returns unsubscribe. */
export async function subscribePublicTally(
  campaignId: string,
  listener: (tally: PublicTally) => void,
): Promise<() => void> {
  await watchTallies();
  let listeners = tallyListeners.get(campaignId);
  if (!listeners) {
    listeners = new Set();
    tallyListeners.set(campaignId, listeners);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** For server-rendered pages: the campaign, its status and its public tally (null when not shown). */
export async function getCampaignOverview(
  campaignId: string,
  now = serverClock.now(),
): Promise<{ campaign: Campaign; status: CampaignStatus; tallyVisible: boolean; tally: PublicTally | null } | null> {
  const campaign = await findCampaign(campaignId);
  if (!campaign) return null;
  const tallyVisible = isTallyVisible(campaign, now);
  return {
    campaign,
    status: campaignStatus(campaign, now),
    tallyVisible,
    tally: tallyVisible ? await tallyOf(campaign) : null,
  };
}

// ---- ballots ------------------------------------------------------------------------------------

export type CastOutcome =
  | { ok: true; ballotId: string; tally?: PublicTally }
  | { ok: false; code: VotingErrorCode; ballotId?: string; retryAfterSeconds?: number };

export interface CastBallotInput {
  campaignId: string;
  /** The parsed body (JSON or converted form fields). */
  body: unknown;
  voter: Voter;
  kioskToken: string | null;
  now?: Date;
}

/** Validates and stores one ballot. Never throws for a voter's mistake; answers with a code. */
export async function castBallot(input: CastBallotInput): Promise<CastOutcome> {
  const now = input.now ?? serverClock.now();
  const campaign = await findCampaign(input.campaignId);
  if (!campaign) return { ok: false, code: 'NOT_FOUND' };

  const store = await getStore();
  let kiosk: Kiosk | null = null;
  if (input.kioskToken) {
    kiosk = await findKiosk(input.kioskToken, campaign.id);
    if (!kiosk) return { ok: false, code: 'INVALID_KIOSK' };
  }

  const token = takeBallotToken(input.voter.addressHash, kiosk ? null : input.voter.deviceHash, now);
  if (!token.allowed) return { ok: false, code: 'RATE_LIMITED', retryAfterSeconds: token.retryAfterSeconds };

  const status = campaignStatus(campaign, now);
  if (status === 'upcoming') return { ok: false, code: 'CAMPAIGN_NOT_OPEN' };
  if (status === 'closed') return { ok: false, code: 'CAMPAIGN_CLOSED' };

  if (!kiosk) {
    // One ballot per device holds only for clients that keep the cookie: a ballot without one from
    // an earlier visit to the ballot does not count (the answer issues one, so a person's retry works).
    if (!input.voter.deviceCookie) return { ok: false, code: 'DEVICE_COOKIE_REQUIRED' };
    const wait = secondsUntilCookieCounts(input.voter.deviceCookie, now, deviceCookieMinAgeSeconds());
    if (wait > 0) return { ok: false, code: 'DEVICE_COOKIE_TOO_NEW', retryAfterSeconds: wait };
    const earlier = await store.ballots.ofDevice(campaign.id, input.voter.deviceHash);
    if (earlier) return { ok: false, code: 'ALREADY_VOTED', ballotId: earlier };
  }

  const checked = checkBallot(input.body, campaign);
  if (!checked.ok) return { ok: false, code: checked.code };
  const ballot = checked.ballot;

  let event: OutreachEvent | null = null;
  const eventCode = kiosk?.eventCode ?? ballot.event;
  if (eventCode) {
    const normalised = normaliseEventCode(eventCode);
    event = normalised ? await store.events.get(normalised) : null;
    if (!event || event.campaignId !== campaign.id) return { ok: false, code: 'UNKNOWN_EVENT' };
    if (!isEventActive(event, now)) return { ok: false, code: 'EVENT_NOT_ACTIVE' };
  }

  let releaseKioskSlot: (() => void) | null = null;
  if (kiosk) {
    const slot = await store.kiosks.claimSlot(kiosk.id, now, kioskMinIntervalSeconds());
    if (!slot.allowed) return { ok: false, code: 'KIOSK_TOO_FAST', retryAfterSeconds: slot.retryAfterSeconds };
    releaseKioskSlot = slot.release;
  }

  const channel: Channel = kiosk ? 'kiosk' : event ? 'event' : 'online';
  try {
    const outcome = await store.ballots.append(
      {
        id: receiptIdFromBytes(randomBytes(RECEIPT_ID_BYTES)),
        campaignId: campaign.id,
        choices: ballot.choices,
        writeIns: ballot.writeIns,
        district: ballot.district,
        event: event?.code ?? null,
        eventType: event?.type ?? null,
        channel,
        kioskId: kiosk?.id ?? null,
        createdAt: now.toISOString(),
        deviceHash: input.voter.deviceHash,
        addressHashOfDay: input.voter.addressHash,
      },
      { onePerDevice: kiosk === null },
    );
    if (outcome.status === 'duplicate') return { ok: false, code: 'ALREADY_VOTED', ballotId: outcome.ballotId };
    if (!isTallyVisible(campaign, now)) return { ok: true, ballotId: outcome.ballot.id };
    return { ok: true, ballotId: outcome.ballot.id, tally: await tallyOf(campaign) };
  } catch (error) {
    releaseKioskSlot?.();
    if (error instanceof StoreUnavailableError) {
      console.error(`[voting] ${error.message}`);
      return { ok: false, code: 'STORE_UNAVAILABLE' };
    }
    throw error;
  }
}
