/**
 * 上传附件, for every kind of publication (announcements, explanations, recalls): the uploaded file
 * goes through the publishing service, which reads its type from the bytes, keeps it within the size
 * limit, checks who may attach and audits. One handler, whichever page the form is on.
 */
import type { FieldError } from '~/lib/admin/forms';
import { ADMIN_STATUS } from '~/lib/admin/messages';
import { publishingService } from '~/server/publishing/instance';
import type { StaffContext } from '../auth';

/** The file input of the attachment form, which its errors link to. */
export const ATTACHMENT_FIELD_ID = 'attachment-file';

/** The form's `action` value of the attachment form. */
export const ATTACH_ACTION = 'attach';

export interface AttachmentFormResult {
  status: number;
  errors: FieldError[];
  notice: string | null;
}

export const attachmentFormAtRest: AttachmentFormResult = { status: 200, errors: [], notice: null };

/** Attaches the form's file to the publication, on the version the form was shown with. */
export async function attachDocument(
  staff: StaffContext,
  publicationId: string,
  form: FormData,
): Promise<AttachmentFormResult> {
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0)
    return {
      status: ADMIN_STATUS.VALIDATION_FAILED,
      errors: [{ field: ATTACHMENT_FIELD_ID, message: '请选择要上传的文件。' }],
      notice: null,
    };
  const service = await publishingService();
  const outcome = await service.addAttachment({ staff: staff.user }, publicationId, Number(form.get('version')), {
    name: file.name,
    content: Buffer.from(await file.arrayBuffer()),
  });
  if (outcome.ok) return { status: 200, errors: [], notice: `已上传附件「${file.name}」。` };
  const errors =
    outcome.errors.length > 0
      ? outcome.errors.map((error) => ({ field: ATTACHMENT_FIELD_ID, message: error.message }))
      : [{ field: ATTACHMENT_FIELD_ID, message: outcome.message }];
  return { status: ADMIN_STATUS[outcome.code], errors, notice: null };
}
