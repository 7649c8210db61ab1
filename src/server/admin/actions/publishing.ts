/**
 * The forms of every publication's staff page: the workflow buttons all kinds share (提交审核,
 * 审核通过并发布, 定时发布, 退回, 更正, 放弃更正, 撤回) and the content form of explanations and recalls.
 * The page reads its form once and hands it here (`workflow` names a workflow action); each handler
 * calls the publishing service (which checks rights and audits) and gives the page what to show,
 * with a refused form's text kept.
 */
import { z } from 'zod';
import { formToObject, validate, type FieldError } from '~/lib/admin/forms';
import { ADMIN_STATUS } from '~/lib/admin/messages';
import { CONTENT_FORMS, formErrors, type FormKind, type FormValues } from '~/lib/publishing/forms';
import type { Publication } from '~/lib/publishing/model';
import { beijingLocalToIso, formatBeijingTime } from '~/lib/time/beijing';
import { publishingService } from '~/server/publishing/instance';
import type { PublishingResult } from '~/server/publishing/service';
import { paths } from '~/paths';
import type { StaffContext } from '../auth';

/** The form field that names the workflow action; a page's own content form does not send it. */
export const WORKFLOW_FIELD = 'workflow';

export const WORKFLOW_ACTIONS = ['submit', 'approve', 'schedule', 'return', 'correct', 'discard', 'withdraw'] as const;
export type WorkflowFormAction = (typeof WORKFLOW_ACTIONS)[number];

export interface WorkflowFormState {
  status: number;
  errors: FieldError[];
  notice: string | null;
  /** The refused form's text (reason, time), by field id, to show it again. */
  values: Record<string, string>;
  /** The record after a successful step, for the page to show without reading it again. */
  publication: Publication | null;
}

export const workflowFormAtRest: WorkflowFormState = {
  status: 200,
  errors: [],
  notice: null,
  values: {},
  publication: null,
};

/** Ids of the fields of each action's form, which error messages link to. */
export const workflowFieldId = {
  returnReason: 'return-reason',
  withdrawReason: 'withdraw-reason',
  scheduledFor: 'scheduled-for',
} as const;

export function isWorkflowForm(form: URLSearchParams): boolean {
  return form.has(WORKFLOW_FIELD);
}

const workflowFormSchema = z.object({
  workflow: z.enum(WORKFLOW_ACTIONS, { error: '未知的操作，请刷新页面后重试。' }),
  version: z.coerce.number({ error: '页面数据不完整，请刷新后重试。' }).int().min(1),
  reason: z.string().max(2000, '原因过长。').default(''),
  scheduledFor: z.string().max(40).default(''),
});

type WorkflowForm = z.output<typeof workflowFormSchema>;

const NOTICES: Record<Exclude<WorkflowFormAction, 'schedule'>, string> = {
  submit: '已提交审核，等待审核人审核。',
  approve: '已审核通过并发布。',
  return: '已退回修改，编写人会看到退回原因。',
  correct: '已开始更正：请修改内容、填写更正说明，然后提交审核。公开页面在更正审核通过前保持不变。',
  discard: '已放弃更正，公开页面保持原样。',
  withdraw: '已撤回，公开页面只显示撤回原因。',
};

/** Moves a service refusal's field errors onto the ids of the form that was sent. */
function fieldIdOf(action: WorkflowFormAction, field: string): string {
  if (field === 'reason') return action === 'withdraw' ? workflowFieldId.withdrawReason : workflowFieldId.returnReason;
  if (field === 'scheduledFor') return workflowFieldId.scheduledFor;
  return `workflow-${action}`;
}

function answer(
  result: PublishingResult,
  form: WorkflowForm,
  notice: (publication: Publication) => string,
): WorkflowFormState {
  if (result.ok) return { ...workflowFormAtRest, notice: notice(result.publication), publication: result.publication };
  const errors =
    result.errors.length > 0
      ? result.errors.map((error) => ({ field: fieldIdOf(form.workflow, error.field), message: error.message }))
      : [{ field: `workflow-${form.workflow}`, message: result.message }];
  return {
    ...workflowFormAtRest,
    status: ADMIN_STATUS[result.code],
    errors,
    values: {
      [form.workflow === 'withdraw' ? workflowFieldId.withdrawReason : workflowFieldId.returnReason]: form.reason,
      [workflowFieldId.scheduledFor]: form.scheduledFor,
    },
  };
}

/** Runs the workflow action the form names on the publication with this id. */
export async function handleWorkflowForm(
  form: URLSearchParams,
  staff: StaffContext,
  publicationId: string,
): Promise<WorkflowFormState> {
  const parsed = validate(workflowFormSchema, formToObject(form));
  if (!parsed.ok) return { ...workflowFormAtRest, status: 400, errors: parsed.errors };
  const input = parsed.data;
  const publishing = await publishingService();
  const actor = { staff: staff.user };
  const { version } = input;
  switch (input.workflow) {
    case 'schedule': {
      const scheduledFor = beijingLocalToIso(input.scheduledFor);
      if (!scheduledFor) {
        const message = input.scheduledFor
          ? '定时发布时间不是有效的时间，请重新选择。'
          : '请选择定时发布的日期和时刻。';
        return { ...workflowFormAtRest, status: 400, errors: [{ field: workflowFieldId.scheduledFor, message }] };
      }
      const result = await publishing.approve(actor, publicationId, version, { scheduledFor });
      return answer(result, input, (publication) => {
        const at = publication.draft?.scheduledFor;
        return `已审核通过，将于 ${at ? formatBeijingTime(at) : ''}（北京时间）自动发布。`;
      });
    }
    case 'submit':
      return answer(await publishing.submitForReview(actor, publicationId, version), input, () => NOTICES.submit);
    case 'approve':
      return answer(await publishing.approve(actor, publicationId, version), input, () => NOTICES.approve);
    case 'return':
      return answer(
        await publishing.returnToEditing(actor, publicationId, version, input.reason),
        input,
        () => NOTICES.return,
      );
    case 'correct':
      return answer(await publishing.startCorrection(actor, publicationId, version), input, () => NOTICES.correct);
    case 'discard':
      return answer(await publishing.discardCorrection(actor, publicationId, version), input, () => NOTICES.discard);
    case 'withdraw':
      return answer(
        await publishing.withdraw(actor, publicationId, version, input.reason),
        input,
        () => NOTICES.withdraw,
      );
  }
}

export interface ContentFormState {
  status: number;
  errors: FieldError[];
  notice: string | null;
  /** What the form shows: as typed after a refusal, as saved otherwise; null to show the record's. */
  values: FormValues | null;
  correctionNote: string | null;
  publication: Publication | null;
}

export const contentFormAtRest: ContentFormState = {
  status: 200,
  errors: [],
  notice: null,
  values: null,
  correctionNote: null,
  publication: null,
};

/** The id of the save button, which errors that belong to no field link to. */
export const CONTENT_SAVE_ID = 'content-save';

/** The field names of the content form: the kind's fields and the correction note. */
function contentValues(kind: FormKind, form: URLSearchParams): FormValues {
  const values: FormValues = {};
  for (const field of CONTENT_FORMS[kind].fields) values[field.name] = form.get(field.name) ?? '';
  return values;
}

/**
 * Saves the content form: a new draft (answered with a redirect to its page, so a reload cannot
 * create it twice) or the draft being written, with its 更正说明 when it corrects a published item.
 */
export async function handleContentForm(
  kind: FormKind,
  form: URLSearchParams,
  staff: StaffContext,
  existing: Publication | null,
): Promise<ContentFormState | Response> {
  const values = contentValues(kind, form);
  const correctionNote = form.get('correctionNote') ?? '';
  const data = CONTENT_FORMS[kind].fromForm(values);
  const publishing = await publishingService();
  const actor = { staff: staff.user };
  let result: PublishingResult;
  if (existing) {
    const version = Number(form.get('version'));
    result = await publishing.editDraft(actor, existing.id, version, { data, correctionNote });
  } else {
    result = await publishing.createDraft(actor, kind, data);
    if (result.ok) {
      return new Response(null, {
        status: 303,
        headers: { location: paths.adminPublication(kind, result.publication.id, { created: '1' }) },
      });
    }
  }
  if (result.ok) return { ...contentFormAtRest, notice: '草稿已保存。', publication: result.publication };
  const fieldErrors = formErrors(result.errors, CONTENT_FORMS[kind].fields);
  return {
    ...contentFormAtRest,
    status: ADMIN_STATUS[result.code],
    errors: fieldErrors.length > 0 ? fieldErrors : [{ field: CONTENT_SAVE_ID, message: result.message }],
    values,
    correctionNote,
  };
}
