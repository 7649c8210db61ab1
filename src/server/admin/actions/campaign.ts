/**
 * The form actions of a campaign's staff page (/admin/campaigns/<id>/), one named handler per
 * action. Each is given the staff member the page's guard let in (that is the permission check),
 * parses the form with zod, runs the command (which audits) and hands the page what to show.
 */
import type { FieldError } from '~/lib/admin/forms';
import { declineSchema, formToObject, restoreSetAsideSchema, setAsideSchema, validate } from '~/lib/admin/forms';
import { ADMIN_MESSAGES, ADMIN_STATUS } from '~/lib/admin/messages';
import { declineNomination, setPublished } from '../actions';
import type { StaffContext } from '../auth';
import { readStaffForm } from '../http';
import { revokeCampaignKiosk } from '../kiosks';
import { restoreSetAside, setAsideFlaggedBallots } from '../set-aside';

export interface CampaignPageState {
  status: number;
  errors: FieldError[];
  notice: string | null;
}

/** The page as a GET shows it. */
export const campaignPageAtRest: CampaignPageState = { status: 200, errors: [], notice: null };

const done = (notice: string): CampaignPageState => ({ ...campaignPageAtRest, notice });
const refused = (errors: FieldError[], status: number = ADMIN_STATUS.VALIDATION_FAILED): CampaignPageState => ({
  ...campaignPageAtRest,
  status,
  errors,
});

/** Dispatches the page's POST to its action; a Response is the answer instead of the page (413, 415). */
export async function handleCampaignAction(
  request: Request,
  staff: StaffContext,
  campaignId: string,
): Promise<CampaignPageState | Response> {
  const read = await readStaffForm(request);
  if (!read.ok) return read.response;
  const form = formToObject(read.form);
  if (form.action === 'publish') return publishOutcome(staff, campaignId, true);
  if (form.action === 'unpublish') return publishOutcome(staff, campaignId, false);
  if (form.action === 'revoke-kiosk') return revokeKiosk(staff, campaignId, form.kioskId);
  if (form.action === 'set-aside') return setAsideFlag(staff, campaignId, form);
  if (form.action === 'restore-set-aside') return restoreSetAsideBallots(staff, campaignId, form);
  return saveDeclineReason(staff, campaignId, form);
}

/** Publishes the outcome page (where each nomination went), or takes it back. */
export async function publishOutcome(
  staff: StaffContext,
  campaignId: string,
  publish: boolean,
): Promise<CampaignPageState> {
  const result = await setPublished(staff, campaignId, publish);
  if (!result.ok) return refused([{ field: 'publish', message: ADMIN_MESSAGES[result.code] }]);
  return done(publish ? '已公布点题结果，市民可以在结果页面看到每个点题的去向。' : '已撤回公布。');
}

/** Stops a kiosk of the campaign: its link can no longer vote. */
export async function revokeKiosk(
  staff: StaffContext,
  campaignId: string,
  kioskId: unknown,
): Promise<CampaignPageState> {
  if (await revokeCampaignKiosk(staff, campaignId, kioskId)) return done('已停用该现场投票设备，它的链接不能再投票。');
  return refused([{ field: 'kiosks', message: ADMIN_MESSAGES.NOT_FOUND }], ADMIN_STATUS.NOT_FOUND);
}

/** Saves (or clears) why a nomination was not adopted into the plan. */
export async function saveDeclineReason(
  staff: StaffContext,
  campaignId: string,
  form: Record<string, unknown>,
): Promise<CampaignPageState> {
  const parsed = validate(declineSchema, { ...form, campaignId });
  if (!parsed.ok)
    return refused(parsed.errors.map((error) => ({ ...error, field: `decline-${String(form.nomination ?? '')}` })));
  const result = await declineNomination(staff, parsed.data);
  if (!result.ok)
    return refused(
      [{ field: `decline-${parsed.data.nomination}`, message: ADMIN_MESSAGES[result.code] }],
      ADMIN_STATUS[result.code],
    );
  return done(parsed.data.declinedReason ? '已保存未纳入理由。' : '已清除未纳入理由。');
}

/** Takes a flagged burst out of the official count, with the reason the public summary counts. */
export async function setAsideFlag(
  staff: StaffContext,
  campaignId: string,
  form: Record<string, unknown>,
): Promise<CampaignPageState> {
  const parsed = validate(setAsideSchema, form);
  if (!parsed.ok) return refused(parsed.errors.map((error) => ({ ...error, field: 'set-aside-reason' })));
  const { reason, ...flag } = parsed.data;
  const result = await setAsideFlaggedBallots(staff, campaignId, flag, reason);
  if (!result.ok)
    return refused([{ field: 'set-aside-reason', message: ADMIN_MESSAGES[result.code] }], ADMIN_STATUS[result.code]);
  return done(`已将 ${result.value} 张选票从正式计数中剔除；选票仍保留，可随时恢复。公开票数会注明剔除了多少张。`);
}

/** Puts a set-aside burst back into the official count. */
export async function restoreSetAsideBallots(
  staff: StaffContext,
  campaignId: string,
  form: Record<string, unknown>,
): Promise<CampaignPageState> {
  const parsed = validate(restoreSetAsideSchema, form);
  if (!parsed.ok) return refused(parsed.errors.map((error) => ({ ...error, field: 'set-asides' })));
  const result = await restoreSetAside(staff, campaignId, parsed.data.setAsideId, parsed.data.version);
  if (!result.ok)
    return refused([{ field: 'set-asides', message: ADMIN_MESSAGES[result.code] }], ADMIN_STATUS[result.code]);
  return done('已恢复这组选票，它们重新计入正式票数。');
}
