/**
 * The form actions of a year's sampling plan page (/admin/plan/<year>/), one named handler per
 * action: add an item (from a nomination or not), edit one, delete one. Each is given the staff
 * member the page's guard let in (that is the permission check), parses the form with zod, runs
 * the command (which audits) and hands the page what to show, with the refused form kept as typed.
 */
import type { FieldError } from '~/lib/admin/forms';
import { formToObject, planItemDeleteSchema, planItemSchema, planItemUpdateSchema, validate } from '~/lib/admin/forms';
import { ADMIN_MESSAGES, ADMIN_STATUS, type AdminErrorCode } from '~/lib/admin/messages';
import { createPlanItem, deletePlanItem, updatePlanItem } from '../actions';
import type { StaffContext } from '../auth';
import { readStaffForm } from '../http';

/** The form of the new item, or of the item with this id. */
type PlanForm = 'new' | string;

export interface PlanPageState {
  status: number;
  errors: FieldError[];
  notice: string | null;
  /** The form that was refused, with what was typed. */
  failed: { form: PlanForm; values: Record<string, unknown> } | null;
}

/** The page as a GET shows it. */
export const planPageAtRest: PlanPageState = { status: 200, errors: [], notice: null, failed: null };

type Outcome = { ok: true } | { ok: false; code: AdminErrorCode; errors: FieldError[] };

/** The nomination picker sends `campaignId|nomination` as one value. */
function splitSource(form: Record<string, unknown>): Record<string, unknown> {
  const [campaignId = '', nomination = ''] = typeof form.source === 'string' ? form.source.split('|') : [];
  return { ...form, campaignId, nomination };
}

/** The page's answer to an outcome: the notice, or the errors on the fields of the form that was sent. */
function pageState(outcome: Outcome, notice: string, form: PlanForm, values: Record<string, unknown>): PlanPageState {
  if (outcome.ok) return { ...planPageAtRest, notice };
  const fieldErrors = outcome.errors.map((error) => ({
    ...error,
    field: `${form}-${error.field === 'campaignId' || error.field === 'nomination' ? 'source' : error.field}`,
  }));
  return {
    ...planPageAtRest,
    status: ADMIN_STATUS[outcome.code],
    errors:
      fieldErrors.length > 0 ? fieldErrors : [{ field: `${form}-category`, message: ADMIN_MESSAGES[outcome.code] }],
    failed: { form, values },
  };
}

const invalid = (errors: FieldError[]): Outcome => ({ ok: false, code: 'VALIDATION_FAILED', errors });

/** Dispatches the page's POST to its action; a Response is the answer instead of the page (413, 415). */
export async function handlePlanAction(
  request: Request,
  staff: StaffContext,
  year: number,
): Promise<PlanPageState | Response> {
  const read = await readStaffForm(request);
  if (!read.ok) return read.response;
  const form = splitSource(formToObject(read.form, ['quarters', 'stages']));
  const id = typeof form.id === 'string' ? form.id : '';
  if (form.action === 'delete') return removePlanItem(staff, year, id, form);
  if (form.action === 'update') return editPlanItem(staff, year, id, form);
  return addPlanItem(staff, year, form);
}

/** Adds an item to the year's plan, adopting a citizens' nomination when one is chosen. */
export async function addPlanItem(
  staff: StaffContext,
  year: number,
  form: Record<string, unknown>,
): Promise<PlanPageState> {
  const parsed = validate(planItemSchema, form);
  const outcome = parsed.ok ? await createPlanItem(staff, year, parsed.data) : invalid(parsed.errors);
  return pageState(outcome, '已纳入计划。', 'new', form);
}

/** Saves the edited item, if nobody changed it since the form was shown. */
export async function editPlanItem(
  staff: StaffContext,
  year: number,
  id: string,
  form: Record<string, unknown>,
): Promise<PlanPageState> {
  const parsed = validate(planItemUpdateSchema, form);
  const outcome = parsed.ok
    ? await updatePlanItem(staff, year, id, parsed.data.version, parsed.data)
    : invalid(parsed.errors);
  return pageState(outcome, '已保存修改。', id, form);
}

/** Deletes the item, if nobody changed it since the form was shown. */
export async function removePlanItem(
  staff: StaffContext,
  year: number,
  id: string,
  form: Record<string, unknown>,
): Promise<PlanPageState> {
  const parsed = validate(planItemDeleteSchema, form);
  const outcome = parsed.ok ? await deletePlanItem(staff, year, id, parsed.data.version) : invalid(parsed.errors);
  return pageState(outcome, '已删除计划条目。', id, form);
}
