/**
 * The form actions of the accounts page (/admin/users/), one named handler per action. Each is
 * given the staff member the page's guard let in (admins only: that is the permission check), then
 * parses the form with zod, runs the command, audits it and hands the page what to show.
 */
import type { FieldError } from '~/lib/admin/forms';
import { formToObject, newUserSchema, userActionSchema, validate } from '~/lib/admin/forms';
import { ADMIN_MESSAGES, ADMIN_STATUS } from '~/lib/admin/messages';
import { RecordNotFoundError, VersionConflictError, type StaffUser } from '~/lib/admin/types';
import { serverClock } from '~/server/clock';
import { getStore } from '~/server/store/instance';
import { createStaffAccount } from '../actions';
import { audit } from '../audit';
import type { StaffContext } from '../auth';
import { readStaffForm } from '../http';
import { setPassword } from '../users';

export interface UsersPageState {
  status: number;
  errors: FieldError[];
  /** What the "new account" form shows: what was typed after a refusal, else the defaults. */
  values: Record<string, unknown>;
  /** A password shown this once: of a new account, or a reset one. */
  shownOnce: { username: string; password: string; created: boolean } | null;
  notice: string | null;
}

const NEW_USER_DEFAULTS: Record<string, unknown> = { username: '', role: 'editor' };

/** The page as a GET shows it. */
export const usersPageAtRest: UsersPageState = {
  status: 200,
  errors: [],
  values: NEW_USER_DEFAULTS,
  shownOnce: null,
  notice: null,
};

function refused(errors: FieldError[], status: number = ADMIN_STATUS.VALIDATION_FAILED, values = NEW_USER_DEFAULTS) {
  return { ...usersPageAtRest, status, errors, values };
}

const onUsersTable = (message: string): FieldError[] => [{ field: 'users', message }];

/** Dispatches the page's POST to its action; a Response is the answer instead of the page (413, 415). */
export async function handleUsersAction(request: Request, staff: StaffContext): Promise<UsersPageState | Response> {
  const read = await readStaffForm(request);
  if (!read.ok) return read.response;
  const form = formToObject(read.form);
  if (form.action === 'create') return createUser(staff, form);
  const parsed = validate(userActionSchema, form);
  if (!parsed.ok) return refused(onUsersTable(parsed.errors[0]?.message ?? ADMIN_MESSAGES.VALIDATION_FAILED));
  const { userId, version, action } = parsed.data;
  const user = await (await getStore()).staff.get(userId);
  try {
    if (!user) throw new RecordNotFoundError(userId);
    if (action === 'reset-password') return await resetPassword(staff, user, version);
    return await (action === 'disable' ? disableUser : enableUser)(staff, user, version);
  } catch (error) {
    if (!(error instanceof VersionConflictError || error instanceof RecordNotFoundError)) throw error;
    await audit({
      actor: staff.user.username,
      action: `user.${action}`,
      target: user?.username ?? userId,
      outcome: 'conflict',
    });
    const code = error instanceof VersionConflictError ? 'VERSION_CONFLICT' : 'NOT_FOUND';
    return refused(onUsersTable(ADMIN_MESSAGES[code]), ADMIN_STATUS[code]);
  }
}

/** A new account with a generated password, shown once. */
export async function createUser(staff: StaffContext, form: Record<string, unknown>): Promise<UsersPageState> {
  const parsed = validate(newUserSchema, form);
  if (!parsed.ok) return refused(parsed.errors, ADMIN_STATUS.VALIDATION_FAILED, form);
  const result = await createStaffAccount(staff, parsed.data.username, parsed.data.role);
  if (!result.ok)
    return refused([{ field: 'username', message: result.message }], ADMIN_STATUS.VALIDATION_FAILED, form);
  return {
    ...usersPageAtRest,
    shownOnce: { username: result.user.username, password: result.password, created: true },
  };
}

/** A new generated password for the account, shown once; its sessions end. */
export async function resetPassword(staff: StaffContext, user: StaffUser, version: number): Promise<UsersPageState> {
  const result = await setPassword(await getStore(), user, version);
  if (!result.ok) return usersPageAtRest;
  await audit({ actor: staff.user.username, action: 'user.password', target: user.username });
  return { ...usersPageAtRest, shownOnce: { username: user.username, password: result.password, created: false } };
}

/** Disables the account; its sessions end. */
export function disableUser(staff: StaffContext, user: StaffUser, version: number): Promise<UsersPageState> {
  return setAccountDisabled(staff, user, version, true);
}

export function enableUser(staff: StaffContext, user: StaffUser, version: number): Promise<UsersPageState> {
  return setAccountDisabled(staff, user, version, false);
}

/** Nobody disables (or re-enables) the account they are using. */
async function setAccountDisabled(
  staff: StaffContext,
  user: StaffUser,
  version: number,
  disable: boolean,
): Promise<UsersPageState> {
  if (user.id === staff.user.id) return refused(onUsersTable('不能停用自己正在使用的账号。'));
  await (
    await getStore()
  ).staff.update(user.id, version, { disabledAt: disable ? serverClock.now().toISOString() : null });
  await audit({ actor: staff.user.username, action: disable ? 'user.disable' : 'user.enable', target: user.username });
  return {
    ...usersPageAtRest,
    notice: disable ? `已停用账号「${user.username}」，其登录会话已全部结束。` : `已启用账号「${user.username}」。`,
  };
}
