/**
 * The one check both stores make before keeping an uploaded file: its record must describe exactly
 * these bytes (length and SHA-256), so a download is always the file the record names.
 */
import { createHash } from 'node:crypto';
import type { AttachmentRef } from '~/lib/publishing/model';
import { newAttachmentId } from './ids';

export function newAttachmentRef(file: Omit<AttachmentRef, 'id'>, content: Buffer): AttachmentRef {
  if (content.length !== file.bytes) {
    throw new Error(`附件 ${file.fileName} 的字节数 ${content.length} 与记录的 ${file.bytes} 不符`);
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  if (sha256 !== file.sha256) throw new Error(`附件 ${file.fileName} 的 SHA-256 与记录不符`);
  return { ...file, id: newAttachmentId() };
}
