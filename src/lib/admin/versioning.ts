/**
 * Optimistic concurrency, the one rule both stores apply: a change names the version it saw, and a
 * record that has moved on since (or never existed, for version 0) refuses the change.
 */
import { RecordNotFoundError, VersionConflictError } from './types';

/** For records that must exist: throws when missing or when `expectedVersion` is stale. */
export function assertCurrentVersion(
  record: { version: number } | null | undefined,
  expectedVersion: number,
  target: string,
): void {
  if (!record) throw new RecordNotFoundError(target);
  if (record.version !== expectedVersion) throw new VersionConflictError(target);
}

/** For decisions that may not exist yet: version 0 means "not decided yet". */
export function assertDecisionVersion(
  record: { version: number } | null | undefined,
  expectedVersion: number,
  target: string,
): void {
  if ((record?.version ?? 0) !== expectedVersion) throw new VersionConflictError(target);
}
