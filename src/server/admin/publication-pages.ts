/**
 * What the staff pages of explanations and recalls show — the list of a kind, one item's editor,
 * the review queue — loaded behind the staff guard, with each page's POST handed to its handler.
 * The pages themselves only render what these return.
 */
import { CONTENT_FORMS, type FormKind, type FormValues } from '~/lib/publishing/forms';
import type { ContentOfKind, Publication, PublicationKind } from '~/lib/publishing/model';
import { pageCount, parsePageNumber, type Page } from '~/lib/paging';
import type { ReviewQueueStage } from '~/lib/publishing/records';
import { getStore } from '~/server/store/instance';
import {
  contentFormAtRest,
  handleContentForm,
  handleWorkflowForm,
  isWorkflowForm,
  workflowFormAtRest,
  type ContentFormState,
  type WorkflowFormState,
} from './actions/publishing';
import type { StaffContext } from './auth';
import { messagePage, requireStaff } from './guard';
import { readStaffForm, readStaffUpload } from './http';
import {
  ATTACH_ACTION,
  ATTACHMENT_FIELD_ID,
  attachDocument,
  attachmentFormAtRest,
  type AttachmentFormResult,
} from './actions/attachments';
import { mediaType } from '~/server/http/body';

type PageContext = Parameters<typeof requireStaff>[0];

export const PUBLICATIONS_PAGE_SIZE = 30;

/** The title staff know an item by, whatever its kind. */
export function publicationTitle(publication: Publication): string {
  const data = (publication.draft ?? publication.revisions.at(-1))?.data;
  if (!data) return publication.slug;
  return 'testItem' in data ? `${data.testItem}（${data.category}）` : data.title;
}

export interface PublicationListPage {
  staff: StaffContext;
  list: Page<Publication>;
}

/**
 * Page `requested` of a list the store reads a page at a time; a page past the end (the list
 * shrank since the link was made) shows the last one.
 */
async function storedPage<T>(
  requested: number,
  pageSize: number,
  read: (window: { limit: number; offset: number }) => Promise<{ items: T[]; total: number }>,
): Promise<Page<T>> {
  const windowOf = (page: number) => ({ limit: pageSize, offset: (page - 1) * pageSize });
  let { items, total } = await read(windowOf(requested));
  const pages = pageCount(total, pageSize);
  if (requested > pages) ({ items, total } = await read(windowOf(pages)));
  return { items, page: Math.min(requested, pages), pages, total };
}

/** One page of a kind's items, newest change first; only that page is read from the store. */
export async function publicationListPage(
  context: PageContext,
  kind: PublicationKind,
): Promise<Response | PublicationListPage> {
  const staff = await requireStaff(context);
  if (staff instanceof Response) return staff;
  const store = await getStore();
  const requested = parsePageNumber(context.url.searchParams.get('page'));
  const list = await storedPage(requested, PUBLICATIONS_PAGE_SIZE, (window) =>
    store.publications.list({ kind, ...window }),
  );
  return { staff, list };
}

export interface PublicationEditorPage<K extends FormKind = FormKind> {
  staff: StaffContext;
  kind: K;
  status: number;
  /** Null on the new-item page. */
  publication: Publication<K> | null;
  /** The content form's values (the draft's, or as typed after a refusal). */
  values: FormValues;
  correctionNote: string;
  content: ContentFormState;
  workflow: WorkflowFormState;
  attachment: AttachmentFormResult;
}

function formValuesOf<K extends FormKind>(kind: K, data: ContentOfKind[K]): FormValues {
  return (CONTENT_FORMS[kind].toForm as (data: ContentOfKind[K]) => FormValues)(data);
}

const UNKNOWN_ACTION = '未知的操作，请刷新页面后重试。';

const notFound = () => messagePage(404, '没有找到', '没有找到这条内容，它可能已被删除或地址有误。');

/** The new-item page (`id` null) or one item's page, after handling the POST that came with it. */
export async function publicationEditorPage<K extends FormKind>(
  context: PageContext,
  kind: K,
  id: string | null,
): Promise<Response | PublicationEditorPage<K>> {
  const staff = await requireStaff(context);
  if (staff instanceof Response) return staff;
  const store = await getStore();
  let publication: Publication | null = null;
  if (id !== null) {
    publication = await store.publications.get(id);
    if (!publication || publication.kind !== kind) return notFound();
  }
  let content = contentFormAtRest;
  let workflow = workflowFormAtRest;
  let attachment = attachmentFormAtRest;
  if (context.request.method === 'POST' && mediaType(context.request) === 'multipart/form-data') {
    // The only upload of these pages: 上传附件.
    if (!publication) return notFound();
    const upload = await readStaffUpload(context.request);
    if (!upload.ok) return upload.response;
    attachment =
      upload.form.get('action') === ATTACH_ACTION
        ? await attachDocument(staff, publication.id, upload.form)
        : { ...attachmentFormAtRest, status: 400, errors: [{ field: ATTACHMENT_FIELD_ID, message: UNKNOWN_ACTION }] };
    publication = await store.publications.get(publication.id);
  } else if (context.request.method === 'POST') {
    const read = await readStaffForm(context.request);
    if (!read.ok) return read.response;
    if (isWorkflowForm(read.form)) {
      if (!publication) return notFound();
      workflow = await handleWorkflowForm(read.form, staff, publication.id);
    } else {
      const handled = await handleContentForm(kind, read.form, staff, publication);
      if (handled instanceof Response) return handled;
      content = handled;
    }
    const changed = workflow.publication ?? content.publication;
    // A refused step shows the record as it now is: someone else may have changed it meanwhile.
    publication = changed ?? (publication ? await store.publications.get(publication.id) : null);
  } else if (publication && context.url.searchParams.get('created') === '1') {
    content = { ...contentFormAtRest, notice: '草稿已创建。可继续修改，完成后提交审核。' };
  }
  const shown = publication?.draft?.data ?? publication?.revisions.at(-1)?.data;
  const values = content.values ?? (shown ? formValuesOf(kind, shown as ContentOfKind[K]) : {});
  return {
    staff,
    kind,
    status: Math.max(content.status, workflow.status, attachment.status),
    publication: publication as Publication<K> | null,
    values,
    correctionNote: content.correctionNote ?? publication?.draft?.correctionNote ?? '',
    content,
    workflow,
    attachment,
  };
}

/** How many drafts one page of a review-queue list shows. */
export const REVIEW_QUEUE_PAGE_SIZE = 30;

export interface ReviewQueuePage {
  staff: StaffContext;
  /** Drafts waiting for 审核, longest waiting first. */
  waiting: Page<Publication>;
  /** Approved drafts waiting for their time, soonest first. */
  scheduled: Page<Publication>;
}

/**
 * Everything waiting for 审核 and everything approved for a later time, across kinds, each list
 * paged on its own (`?waiting=2`, `?scheduled=2`): a draft submitted long ago among many items is
 * still on its list.
 */
export async function reviewQueuePage(context: PageContext): Promise<Response | ReviewQueuePage> {
  const staff = await requireStaff(context);
  if (staff instanceof Response) return staff;
  const store = await getStore();
  const list = (stage: ReviewQueueStage, parameter: 'waiting' | 'scheduled') =>
    storedPage(parsePageNumber(context.url.searchParams.get(parameter)), REVIEW_QUEUE_PAGE_SIZE, (window) =>
      store.publications.listReviewQueue({ stage, ...window }),
    );
  return { staff, waiting: await list('in_review', 'waiting'), scheduled: await list('scheduled', 'scheduled') };
}
