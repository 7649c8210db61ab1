/**
 * The form actions of a results announcement's pages (/admin/announcements/…), one named handler per
 * action: save the facts (which creates the draft on the new page), upload the failed-products table,
 * map its unrecognised columns, save the rows as edited (add or remove a row), link failed items to
 * explanations, attach the original document. Each is given the staff member the page's guard let in,
 * reads its form through the edge's limits, checks it with the rules of lib/publishing and hands the
 * draft to the workflow service (which checks rights, saves with the version and audits). A refused
 * form comes back with every problem and with what was typed; nothing is saved then.
 */
import type { FieldError } from '~/lib/admin/forms';
import { formToObject, validate } from '~/lib/admin/forms';
import { ADMIN_MESSAGES, ADMIN_STATUS } from '~/lib/admin/messages';
import type { Announcement } from '~/lib/content-schemas';
import type { Publication } from '~/lib/publishing/model';
import {
  announcementFactsSchema,
  announcementFromFacts,
  FACTS_REPEATED_FIELDS,
} from '~/lib/publishing/announcement-form';
import { applyExplanationChoices, choicesFromForm, keepExplanationLinks } from '~/lib/publishing/explanation-links';
import {
  FORM_ROW_FIELDS,
  MAX_FORM_ROWS,
  rowsFromForm,
  rowsWithAction,
  type RowValues,
} from '~/lib/publishing/announcement-rows';
import { columnMappingFromForm } from '~/lib/publishing/column-mapping-form';
import { formatProblem, type TableProblem } from '~/lib/publishing/spreadsheet/problems';
import { readFailedProducts } from '~/lib/publishing/spreadsheet/rows';
import type { UnknownColumn } from '~/lib/publishing/spreadsheet/columns';
import { validateFormRows } from '~/lib/publishing/spreadsheet/form-rows';
import { beijingIsoDay } from '~/lib/time/beijing';
import { now } from '~/server/clock';
import { readSpreadsheetFile } from '~/server/publishing/spreadsheet-file';
import { publishingService } from '~/server/publishing/instance';
import type { Actor, PublishingResult } from '~/server/publishing/service';
import { mediaType } from '~/server/http/body';
import type { StaffContext } from '../auth';
import { handleWorkflowForm, isWorkflowForm, workflowFormAtRest, type WorkflowFormState } from './publishing';
import { ATTACH_ACTION, attachDocument } from './attachments';
import { readStaffForm, readStaffUpload } from '../http';
import { knownExplanationSlugs } from '../announcements';
import { isPendingUploadFor, PENDING_UPLOAD_LIMITS } from '~/lib/publishing/pending-uploads';
import { getStore } from '~/server/store/instance';

/** The columns of a table still waiting for staff to say what they hold. */
export interface ColumnChoice {
  uploadId: string;
  fileName: string;
  unknownColumns: UnknownColumn[];
}

export interface AnnouncementPageState {
  status: number;
  /** For the error summary; each links to its field (`id`). */
  errors: FieldError[];
  notice: string | null;
  /** The facts form as typed, when it was refused. */
  facts: Record<string, unknown> | null;
  /** Every problem of an uploaded table or of the rows as edited, by row and column. */
  tableProblems: TableProblem[];
  /** An upload whose unrecognised columns need a choice before it can be read. */
  columnChoice: ColumnChoice | null;
  /** The rows form as typed (or with a row added/removed), when it was not saved. */
  rows: RowValues[] | null;
  /** The shared workflow forms' state (submit, approve, return, correct, withdraw). */
  workflow: WorkflowFormState;
}

export const announcementPageAtRest: AnnouncementPageState = {
  status: 200,
  errors: [],
  notice: null,
  facts: null,
  tableProblems: [],
  columnChoice: null,
  rows: null,
  workflow: workflowFormAtRest,
};

const refused = (status: number, errors: FieldError[], extra: Partial<AnnouncementPageState> = {}) => ({
  ...announcementPageAtRest,
  status,
  errors,
  ...extra,
});

/** The staff member as the publishing service knows them (their role gives their rights). */
const actorOf = (staff: StaffContext): Actor => ({ staff: staff.user });

/**
 * The service's refusal on the page, on the field of the form that was sent (its field paths name
 * the content, not the form), except the correction note, which the form has as such.
 */
function serviceRefusal(
  outcome: Extract<PublishingResult, { ok: false }>,
  field: string,
  extra: Partial<AnnouncementPageState> = {},
): AnnouncementPageState {
  const errors =
    outcome.errors.length > 0
      ? outcome.errors.map((error) => ({
          field: error.field === 'correctionNote' ? error.field : field,
          message: error.message,
        }))
      : [{ field, message: outcome.message }];
  return refused(ADMIN_STATUS[outcome.code], errors, extra);
}

/** Problems of a table as the error summary lists them: 「第 7 行：「不合格项目」为空」, linking to the table section. */
function problemErrors(problems: readonly TableProblem[]): FieldError[] {
  return problems.map((problem) => ({ field: 'table-problems', message: formatProblem(problem) }));
}

const today = () => beijingIsoDay(now());

/** New page: the facts become a new draft; the answer is the draft's id (the page redirects to it). */
export async function createAnnouncementDraft(
  request: Request,
  staff: StaffContext,
): Promise<{ created: Publication<'announcements'> } | AnnouncementPageState | Response> {
  const read = await readStaffForm(request);
  if (!read.ok) return read.response;
  const form = formToObject(read.form, FACTS_REPEATED_FIELDS);
  const parsed = validate(announcementFactsSchema, form);
  if (!parsed.ok) return refused(ADMIN_STATUS.VALIDATION_FAILED, parsed.errors, { facts: form });
  const service = await publishingService();
  const outcome = await service.createDraft(
    actorOf(staff),
    'announcements',
    announcementFromFacts(parsed.data, null, today()),
  );
  if (!outcome.ok) return serviceRefusal(outcome, 'title', { facts: form });
  return { created: outcome.publication as Publication<'announcements'> };
}

/** Dispatches the edit page's POST (a form, or an upload) to its action. */
export async function handleAnnouncementAction(
  request: Request,
  staff: StaffContext,
  publication: Publication<'announcements'>,
): Promise<AnnouncementPageState | Response> {
  if (mediaType(request) === 'multipart/form-data') {
    const upload = await readStaffUpload(request);
    if (!upload.ok) return upload.response;
    const stale = staleForm(upload.form.get('version'), publication);
    if (stale) return stale;
    if (upload.form.get('action') === ATTACH_ACTION)
      return { ...announcementPageAtRest, ...(await attachDocument(staff, publication.id, upload.form)) };
    const file = upload.form.get('file');
    if (!(file instanceof File) || file.size === 0)
      return refused(ADMIN_STATUS.VALIDATION_FAILED, [{ field: 'table-file', message: '请选择要上传的文件。' }]);
    const draft = editableDraft(publication);
    return draft ? uploadTable(staff, publication, draft, file) : notEditable();
  }
  const read = await readStaffForm(request);
  if (!read.ok) return read.response;
  const stale = staleForm(read.form.get('version'), publication);
  if (stale) return stale;
  const action = read.form.get('action');
  if (isWorkflowForm(read.form)) {
    const workflow = await handleWorkflowForm(read.form, staff, publication.id);
    return {
      ...announcementPageAtRest,
      status: workflow.status,
      errors: workflow.errors,
      notice: workflow.notice,
      workflow,
    };
  }
  const handler = DRAFT_FORMS.get(action ?? '');
  if (handler) {
    const draft = editableDraft(publication);
    return draft ? handler(staff, publication, draft, read.form) : notEditable();
  }
  return refused(ADMIN_STATUS.VALIDATION_FAILED, [{ field: 'form', message: '未知的操作，请刷新页面后重试。' }]);
}

/**
 * Every form carries the version of the record it was shown with: a form shown before someone else's
 * change is refused (409) instead of overwriting that change.
 */
function staleForm(
  sent: FormDataEntryValue | null,
  publication: Publication<'announcements'>,
): AnnouncementPageState | null {
  if (sent === String(publication.version)) return null;
  return refused(ADMIN_STATUS.VERSION_CONFLICT, [{ field: 'form', message: ADMIN_MESSAGES.VERSION_CONFLICT }]);
}

/** The draft's content while it is being written; a submitted, scheduled or published item has none to edit. */
function editableDraft(publication: Publication<'announcements'>): Announcement | null {
  return publication.draft?.stage === 'editing' ? publication.draft.data : null;
}

/** Saves the draft with a new table (or new links); a stale version or a refused step says why. */
async function saveDraft(
  staff: StaffContext,
  publication: Publication<'announcements'>,
  data: Announcement,
  field: string,
  notice: string,
  extra: Partial<AnnouncementPageState> = {},
): Promise<AnnouncementPageState> {
  const service = await publishingService();
  // The draft's correction note stays as it is: only the facts form edits it.
  const outcome = await service.editDraft(actorOf(staff), publication.id, publication.version, {
    data,
    correctionNote: publication.draft?.correctionNote ?? null,
  });
  if (!outcome.ok) return serviceRefusal(outcome, field, extra);
  return { ...announcementPageAtRest, notice };
}

const notEditable = (): AnnouncementPageState =>
  refused(ADMIN_STATUS.VALIDATION_FAILED, [
    {
      field: 'form',
      message: '这份草稿不在编辑中（已提交审核、已定时或已发布），不能修改。要修改已发布的公告，请先点“更正”。',
    },
  ]);

/** 基本信息: the facts, keeping the table and its explanation links. */
export async function saveFacts(
  staff: StaffContext,
  publication: Publication<'announcements'>,
  draft: Announcement,
  sent: URLSearchParams,
): Promise<AnnouncementPageState> {
  const form = formToObject(sent, FACTS_REPEATED_FIELDS);
  const parsed = validate(announcementFactsSchema, form);
  if (!parsed.ok) return refused(ADMIN_STATUS.VALIDATION_FAILED, parsed.errors, { facts: form });
  const service = await publishingService();
  const outcome = await service.editDraft(actorOf(staff), publication.id, publication.version, {
    data: announcementFromFacts(parsed.data, draft, today()),
    correctionNote: sent.get('correctionNote') ?? publication.draft?.correctionNote ?? null,
  });
  if (!outcome.ok) return serviceRefusal(outcome, 'title', { facts: form });
  return { ...announcementPageAtRest, notice: '已保存基本信息。' };
}

/**
 * 上传不合格产品表: the file is read whole; a table with any problem is not saved, and one whose
 * columns are not all recognised is kept aside in the store while staff say what they hold.
 */
export async function uploadTable(
  staff: StaffContext,
  publication: Publication<'announcements'>,
  draft: Announcement,
  file: File,
): Promise<AnnouncementPageState> {
  const content = Buffer.from(await file.arrayBuffer());
  const reading = await readSpreadsheetFile(content);
  if (!reading.ok) return refused(422, [{ field: 'table-file', message: reading.message }]);
  const keepAside = async () =>
    (
      await (
        await getStore()
      ).pendingUploads.put({ owner: staff.user.username, publicationId: publication.id, fileName: file.name }, content)
    ).id;
  return readTable(staff, publication, draft, reading.table, file.name, {}, keepAside);
}

/**
 * The table's rows into the draft, or its problems; `keepAside` keeps the file for the column
 * mapping form (when some column is not recognised) and names it.
 */
async function readTable(
  staff: StaffContext,
  publication: Publication<'announcements'>,
  draft: Announcement,
  table: Parameters<typeof readFailedProducts>[0],
  fileName: string,
  columnMapping: Record<string, string>,
  keepAside: () => Promise<string>,
): Promise<AnnouncementPageState> {
  const reading = readFailedProducts(table, { columnMapping: columnMapping as never });
  if (!reading.ok) {
    const columnChoice =
      reading.unknownColumns.length > 0
        ? { uploadId: await keepAside(), fileName, unknownColumns: reading.unknownColumns }
        : null;
    return refused(422, problemErrors(reading.problems), { tableProblems: reading.problems, columnChoice });
  }
  return saveDraft(
    staff,
    publication,
    { ...draft, failedProducts: keepExplanationLinks(reading.rows, draft.failedProducts) },
    'table-file',
    `已导入「${fileName}」：${reading.rows.length} 个不合格产品。请核对下面的表格，并为每个不合格项目确认解读。`,
  );
}

/**
 * 列对应: the kept upload read again with staff's choice for each unrecognised column. It may have
 * been uploaded through another instance of the portal, or before a restart.
 */
export async function mapColumns(
  staff: StaffContext,
  publication: Publication<'announcements'>,
  draft: Announcement,
  sent: URLSearchParams,
): Promise<AnnouncementPageState> {
  const store = await getStore();
  const kept = await store.pendingUploads.get(sent.get('uploadId') ?? '');
  const reading =
    kept && isPendingUploadFor(kept.upload, staff.user.username, publication.id)
      ? await readSpreadsheetFile(kept.content)
      : null;
  if (!kept || !reading?.ok)
    return refused(422, [
      {
        field: 'table-file',
        message: `上传的表格已过期（超过 ${PENDING_UPLOAD_LIMITS.lifetimeMs / 60_000} 分钟，或您之后又上传了 ${PENDING_UPLOAD_LIMITS.perOwner} 个以上的表格），请重新上传文件。`,
      },
    ]);
  const mapping = columnMappingFromForm(sent);
  if (!mapping.ok) return refused(ADMIN_STATUS.VALIDATION_FAILED, mapping.errors);
  const { upload } = kept;
  const state = await readTable(staff, publication, draft, reading.table, upload.fileName, mapping.mapping, () =>
    Promise.resolve(upload.id),
  );
  if (state.status < 400) await store.pendingUploads.delete(upload.id);
  return state;
}

/** 保存表格 / 添加一行 / 删除第 N 行: the rows as edited, checked like a file's rows. */
export async function saveRows(
  staff: StaffContext,
  publication: Publication<'announcements'>,
  draft: Announcement,
  sent: URLSearchParams,
): Promise<AnnouncementPageState> {
  const typed = rowsWithAction(rowsFromForm(sent), sent.get('rowAction'));
  if (typed.rows.length > MAX_FORM_ROWS)
    return refused(ADMIN_STATUS.VALIDATION_FAILED, [
      { field: 'table-problems', message: `表单中最多编辑 ${MAX_FORM_ROWS} 行；更长的表请在 Excel 中修改后重新上传。` },
    ]);
  // Adding or removing a row only redraws the form; the table is saved with 保存表格.
  if (typed.redrawOnly) return { ...announcementPageAtRest, rows: typed.rows, notice: typed.notice };
  const reading = validateFormRows(
    typed.rows.map((row) => Object.fromEntries(FORM_ROW_FIELDS.map((f) => [f, row[f]]))),
  );
  if (!reading.ok)
    return refused(422, problemErrors(reading.problems), { tableProblems: reading.problems, rows: typed.rows });
  return saveDraft(
    staff,
    publication,
    { ...draft, failedProducts: keepExplanationLinks(reading.rows, draft.failedProducts) },
    'table-problems',
    `已保存表格：${reading.rows.length} 个不合格产品。`,
    { rows: typed.rows },
  );
}

/** 确认解读: each distinct failed item linked to the explanation chosen for it, or left as a gap. */
export async function linkExplanations(
  staff: StaffContext,
  publication: Publication<'announcements'>,
  draft: Announcement,
  sent: URLSearchParams,
): Promise<AnnouncementPageState> {
  const applied = applyExplanationChoices(draft.failedProducts, choicesFromForm(sent), await knownExplanationSlugs());
  if (!applied.ok) return refused(ADMIN_STATUS.VALIDATION_FAILED, applied.errors);
  return saveDraft(
    staff,
    publication,
    { ...draft, failedProducts: applied.products },
    'explanations',
    '已保存解读关联。',
  );
}

type DraftForm = (
  staff: StaffContext,
  publication: Publication<'announcements'>,
  draft: Announcement,
  sent: URLSearchParams,
) => Promise<AnnouncementPageState>;

/** The forms that change the draft's content, by their `action`. */
const DRAFT_FORMS: ReadonlyMap<string, DraftForm> = new Map([
  ['facts', saveFacts],
  ['map-columns', mapColumns],
  ['rows', saveRows],
  ['explanations', linkExplanations],
]);
