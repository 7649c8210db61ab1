/** A new pending upload's record under a fresh id: the one recipe both stores keep it by. */
import { pendingUploadRecord, type NewPendingUpload, type PendingUpload } from '~/lib/publishing/pending-uploads';
import { newPendingUploadId } from './ids';

export function newPendingUpload(input: NewPendingUpload, content: Buffer, now: Date): PendingUpload {
  return pendingUploadRecord(input, content, newPendingUploadId(), now);
}
