/**
 * The staff use cases behind both the forms and the JSON API: validate against the store's current
 * state, change it in one store call (all or nothing; a stale version is a conflict), audit the
 * outcome. Routes only parse the request and shape the answer.
 */
import type { z } from 'zod';
import type { FieldError } from '~/lib/admin/forms';
import { declineSchema, moderationSchema, planItemSchema } from '~/lib/admin/forms';
import type { AdminErrorCode } from '~/lib/admin/messages';
import {
  RecordNotFoundError,
  STAFF_ROLE_LABELS,
  VersionConflictError,
  type StaffRole,
  type ModerationDecision,
  type PlanItem,
  type PlanItemInput,
} from '~/lib/admin/types';
import { parseNomination } from '~/lib/admin/write-in-groups';
import { getStore } from '~/server/store/instance';
import { StoreUnavailableError } from '~/server/store/store';
import { findCampaign } from '~/server/voting/campaigns';
import { audit } from './audit';
import type { StaffContext } from './auth';
import { loadCampaignReview } from './campaign-review';
import { createUser, type CreateUserResult } from './users';

export type ActionResult<T = null> = { ok: true; value: T } | { ok: false; code: AdminErrorCode; errors: FieldError[] };

export function fail(
  code: AdminErrorCode,
  errors: FieldError[] = [],
): { ok: false; code: AdminErrorCode; errors: FieldError[] } {
  return { ok: false, code, errors };
}

/** Store errors a person can act on become results; anything else is a bug and propagates. */
export async function guarded<T>(
  actor: string,
  action: string,
  target: string,
  run: () => Promise<T>,
  detail: string | null = null,
): Promise<ActionResult<T>> {
  try {
    const value = await run();
    await audit({ actor, action, target, detail });
    return { ok: true, value };
  } catch (error) {
    if (error instanceof VersionConflictError) {
      await audit({ actor, action, target, outcome: 'conflict' });
      return fail('VERSION_CONFLICT');
    }
    if (error instanceof RecordNotFoundError) {
      await audit({ actor, action, target, outcome: 'failed', detail: '记录不存在' });
      return fail('NOT_FOUND');
    }
    if (
      error instanceof StoreUnavailableError ||
      ['ENOSPC', 'EIO', 'EROFS', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')
    ) {
      await audit({ actor, action, target, outcome: 'failed', detail: (error as Error).message });
      return fail('STORE_UNAVAILABLE');
    }
    throw error;
  }
}

export async function moderate(
  staff: StaffContext,
  campaignId: string,
  input: z.output<typeof moderationSchema>,
): Promise<ActionResult<number>> {
  const review = await loadCampaignReview(campaignId);
  if (!review) return fail('NOT_FOUND');
  const known = new Map(
    review.groups.flatMap((group) => group.entries.map((entry) => [entry.key, group.groupKey] as const)),
  );
  if (input.entries.some((entry) => !known.has(entry.key)))
    return fail('NOT_FOUND', [{ field: 'entries', message: '所选的自填建议不存在，请刷新页面。' }]);
  let decision: ModerationDecision;
  if (input.decision === 'approve') decision = { status: 'approved' };
  else if (input.decision === 'reject') decision = { status: 'rejected', reason: input.reason };
  else {
    const target = parseNomination(input.target);
    const targetError = [{ field: 'target', message: '请选择要合并到的候选产品或另一组自填建议。' }];
    if (!target) return fail('VALIDATION_FAILED', targetError);
    if (
      target.kind === 'candidate' &&
      !review.campaign.candidates.some((candidate) => candidate.id === target.candidateId)
    ) {
      return fail('VALIDATION_FAILED', targetError);
    }
    if (target.kind === 'writeIn') {
      const groupKey = target.groupKey;
      if (!review.groups.some((group) => group.groupKey === groupKey)) return fail('VALIDATION_FAILED', targetError);
      if (input.entries.some((entry) => known.get(entry.key) === groupKey)) {
        return fail('VALIDATION_FAILED', [{ field: 'target', message: '不能把一组自填建议合并到它自己。' }]);
      }
      decision = { status: 'merged', mergedInto: { kind: 'writeIn', groupKey } };
    } else decision = { status: 'merged', mergedInto: target };
  }
  const store = await getStore();
  const action = { approve: 'write-in.approve', reject: 'write-in.reject', merge: 'write-in.merge' }[input.decision];
  const detail =
    input.decision === 'reject'
      ? `理由：${input.reason}`
      : input.decision === 'merge'
        ? `合并到 ${input.target}`
        : null;
  return guarded(
    staff.user.username,
    action,
    `${campaignId}：${input.entries.length} 条（${[...new Set(input.entries.map((entry) => known.get(entry.key)))].join('、')}）`,
    async () => (await store.moderation.decide(campaignId, input.entries, decision, staff.user.username)).length,
    detail,
  );
}

export async function declineNomination(
  staff: StaffContext,
  input: z.output<typeof declineSchema>,
): Promise<ActionResult<null>> {
  const review = await loadCampaignReview(input.campaignId);
  if (!review) return fail('NOT_FOUND');
  if (!review.ranking.some((item) => item.nomination === input.nomination)) return fail('NOT_FOUND');
  const store = await getStore();
  const reason = input.declinedReason === '' ? null : input.declinedReason;
  return guarded(
    staff.user.username,
    'nomination.decline',
    `${input.campaignId}/${input.nomination}`,
    async () => {
      await store.plan.setNominationDecision(
        input.campaignId,
        input.nomination,
        input.version,
        reason,
        staff.user.username,
      );
      return null;
    },
    reason ? `理由：${reason}` : '清除理由',
  );
}

export async function setPublished(
  staff: StaffContext,
  campaignId: string,
  published: boolean,
): Promise<ActionResult<null>> {
  if (!(await findCampaign(campaignId))) return fail('NOT_FOUND');
  const store = await getStore();
  return guarded(staff.user.username, published ? 'outcome.publish' : 'outcome.unpublish', campaignId, async () => {
    await store.outcomes.setPublished(campaignId, published, staff.user.username);
    return null;
  });
}

type PlanFields = z.output<typeof planItemSchema>;

async function checkNomination(fields: PlanFields): Promise<FieldError[]> {
  const review = await loadCampaignReview(fields.campaignId);
  if (!review) return [{ field: 'campaignId', message: '没有这项征集活动。' }];
  if (!review.ranking.some((item) => item.nomination === fields.nomination)) {
    return [{ field: 'nomination', message: '这个点题项目不在该征集的排名中（自填建议须先审核通过）。' }];
  }
  return [];
}

function toInput(year: number, fields: PlanFields): PlanItemInput {
  return { ...fields, year, quarters: [...new Set(fields.quarters)].sort(), stages: [...new Set(fields.stages)] };
}

export async function createPlanItem(
  staff: StaffContext,
  year: number,
  fields: PlanFields,
): Promise<ActionResult<PlanItem>> {
  const errors = await checkNomination(fields);
  if (errors.length > 0) return fail('VALIDATION_FAILED', errors);
  const store = await getStore();
  return guarded(
    staff.user.username,
    'plan.create',
    `${year}：${fields.category}`,
    () => store.plan.create(toInput(year, fields), staff.user.username),
    fields.reason,
  );
}

export async function updatePlanItem(
  staff: StaffContext,
  year: number,
  id: string,
  version: number,
  fields: PlanFields,
): Promise<ActionResult<PlanItem>> {
  const errors = await checkNomination(fields);
  if (errors.length > 0) return fail('VALIDATION_FAILED', errors);
  const store = await getStore();
  const existing = await store.plan.get(id);
  if (!existing || existing.year !== year) return fail('NOT_FOUND');
  return guarded(staff.user.username, 'plan.update', `${year}/${id}：${fields.category}`, () =>
    store.plan.update(id, version, toInput(year, fields), staff.user.username),
  );
}

export async function deletePlanItem(
  staff: StaffContext,
  year: number,
  id: string,
  version: number,
): Promise<ActionResult<null>> {
  const store = await getStore();
  const existing = await store.plan.get(id);
  if (!existing || existing.year !== year) return fail('NOT_FOUND');
  return guarded(staff.user.username, 'plan.delete', `${year}/${id}：${existing.category}`, async () => {
    await store.plan.delete(id, version);
    return null;
  });
}

/** A new account with a generated password (returned once), audited whether or not it was created. */
export async function createStaffAccount(
  staff: StaffContext,
  username: string,
  role: StaffRole,
): Promise<CreateUserResult> {
  const result = await createUser(await getStore(), username, role);
  await audit(
    result.ok
      ? {
          actor: staff.user.username,
          action: 'user.create',
          target: result.user.username,
          detail: STAFF_ROLE_LABELS[result.user.role],
        }
      : {
          actor: staff.user.username,
          action: 'user.create',
          target: username,
          outcome: 'failed',
          detail: result.message,
        },
  );
  return result;
}

/** The plan year a campaign feeds: the year in its id ("2027-ni-dian-wo-cha"), else the year after it closes. */
export function planYearOf(campaign: { id: string; closesAt: string }): number {
  const match = /^(\d{4})-/.exec(campaign.id);
  return match ? Number(match[1]) : new Date(campaign.closesAt).getUTCFullYear() + 1;
}
