/**
 * The form action of a campaign's write-in queue (/admin/campaigns/<id>/write-ins/): approving,
 * rejecting or merging the chosen write-ins of one group. It is given the staff member the page's
 * guard let in (that is the permission check), parses the form with zod, runs the moderation (which
 * audits) and hands the page what to show, with what was typed kept after a refusal.
 */
import type { FieldError } from '~/lib/admin/forms';
import { formToObject, moderationSchema, validate } from '~/lib/admin/forms';
import { ADMIN_MESSAGES, ADMIN_STATUS } from '~/lib/admin/messages';
import { moderate } from '../actions';
import type { StaffContext } from '../auth';
import { readStaffForm } from '../http';

export interface WriteInsPageState {
  status: number;
  errors: FieldError[];
  notice: string | null;
  /** The group whose form was refused, and what was typed into it. */
  failedGroup: string | null;
  kept: Record<string, unknown>;
}

/** The page as a GET shows it. */
export const writeInsPageAtRest: WriteInsPageState = {
  status: 200,
  errors: [],
  notice: null,
  failedGroup: null,
  kept: {},
};

/** Reads the page's POST and moderates; a Response is the answer instead of the page (413, 415). */
export async function handleWriteInsAction(
  request: Request,
  staff: StaffContext,
  campaignId: string,
): Promise<WriteInsPageState | Response> {
  const read = await readStaffForm(request);
  if (!read.ok) return read.response;
  return moderateWriteIns(staff, campaignId, formToObject(read.form, ['entries']));
}

/** One decision (approve, reject with a reason, merge into a target) on the chosen write-ins of a group. */
export async function moderateWriteIns(
  staff: StaffContext,
  campaignId: string,
  form: Record<string, unknown>,
): Promise<WriteInsPageState> {
  const group = typeof form.group === 'string' ? form.group : null;
  const prefix = group ? `${group}-` : '';
  const refused = (errors: FieldError[], status: number): WriteInsPageState => ({
    ...writeInsPageAtRest,
    status,
    errors,
    failedGroup: group,
    kept: form,
  });
  const parsed = validate(moderationSchema, form);
  if (!parsed.ok)
    return refused(
      parsed.errors.map((error) => ({ ...error, field: `${prefix}${error.field}` })),
      ADMIN_STATUS.VALIDATION_FAILED,
    );
  const result = await moderate(staff, campaignId, parsed.data);
  if (result.ok) return { ...writeInsPageAtRest, notice: `已处理 ${result.value} 条自填建议。` };
  return refused(
    result.errors.length > 0
      ? result.errors.map((error) => ({ ...error, field: `${prefix}${error.field}` }))
      : [{ field: `${prefix}decision`, message: ADMIN_MESSAGES[result.code] }],
    ADMIN_STATUS[result.code],
  );
}
