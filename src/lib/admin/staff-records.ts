/** How staff accounts are made and changed: the same in every store. */
import type { StaffUser } from './types';

export type NewStaffUser = Omit<StaffUser, 'id' | 'createdAt' | 'passwordChangedAt' | 'version' | 'disabledAt'>;
export type StaffUserChange = Partial<Pick<StaffUser, 'passwordHash' | 'role' | 'disabledAt'>>;

export function newStaffUser(user: NewStaffUser, id: string, now: Date): StaffUser {
  const at = now.toISOString();
  return {
    username: user.username,
    role: user.role,
    passwordHash: user.passwordHash,
    id,
    createdAt: at,
    passwordChangedAt: at,
    disabledAt: null,
    version: 1,
  };
}

/** The account after `change`, one version on; a new password restarts its age. */
export function changedStaffUser(user: StaffUser, change: StaffUserChange, now: Date): StaffUser {
  const next = { ...user, version: user.version + 1 };
  if (change.passwordHash !== undefined) {
    next.passwordHash = change.passwordHash;
    next.passwordChangedAt = now.toISOString();
  }
  if (change.role !== undefined) next.role = change.role;
  if (change.disabledAt !== undefined) next.disabledAt = change.disabledAt;
  return next;
}

/** A new password or disabling the account ends its sessions: a stolen session dies with the old password. */
export function changeEndsSessions(change: StaffUserChange): boolean {
  return change.passwordHash !== undefined || Boolean(change.disabledAt);
}
