/** Staff account management shared by the users page, the JSON API and the CLI. */
import { passwordProblem } from '~/lib/admin/password-policy';
import type { StaffRole, StaffUser } from '~/lib/admin/types';
import type { Store } from '~/server/store/store';
import { forgetFirstAdminPassword } from './first-admin';
import { generatePassword, hashPassword } from './passwords';

export type PublicStaffUser = Omit<StaffUser, 'passwordHash'>;

export function withoutSecret(user: StaffUser): PublicStaffUser {
  const { passwordHash: _secret, ...rest } = user;
  return rest;
}

export type CreateUserResult =
  | { ok: true; user: PublicStaffUser; password: string }
  | { ok: false; field: 'username' | 'password'; message: string };

/** Creates an account with the given password, or a generated one; the password is returned once. */
export async function createUser(
  store: Store,
  username: string,
  role: StaffRole,
  password: string = generatePassword(),
): Promise<CreateUserResult> {
  const problem = passwordProblem(password, username);
  if (problem) return { ok: false, field: 'password', message: problem };
  if (await store.staff.byUsername(username))
    return { ok: false, field: 'username', message: `用户名「${username}」已被使用。` };
  const created = await store.staff.create({ username, role, passwordHash: await hashPassword(password) });
  if (!created) return { ok: false, field: 'username', message: `用户名「${username}」已被使用。` };
  return { ok: true, user: withoutSecret(created), password };
}

/** Sets a new password (given or generated) and ends the account's sessions. */
export async function setPassword(
  store: Store,
  user: StaffUser,
  expectedVersion: number,
  password: string = generatePassword(),
): Promise<{ ok: true; user: PublicStaffUser; password: string } | { ok: false; message: string }> {
  const problem = passwordProblem(password, user.username);
  if (problem) return { ok: false, message: problem };
  const updated = await store.staff.update(user.id, expectedVersion, { passwordHash: await hashPassword(password) });
  await forgetFirstAdminPassword(user.username);
  return { ok: true, user: withoutSecret(updated), password };
}
