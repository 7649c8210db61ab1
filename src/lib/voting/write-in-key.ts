/** The one format of a write-in's key: its ballot and its place in that ballot (0-based). */
import type { WriteInKey } from '~/lib/admin/types';

export function writeInKey(ballotId: string, index: number): WriteInKey {
  return `${ballotId}#${index}`;
}
