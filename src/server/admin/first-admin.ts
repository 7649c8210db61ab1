/**
 * The first admin account: created on the first start (no account yet) from ADMIN_USER and
 * ADMIN_PASSWORD, or with a generated password. A generated password is never printed (stdout ends
 * up in logs): it is written to a file only the portal's own user can read, DATA_DIR/
 * first-admin-password.txt, whose path is printed; the file is deleted once that password is changed.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { passwordProblem } from '~/lib/admin/password-policy';
import { serverConfig } from '~/server/config';
import type { Store } from '~/server/store/store';
import { audit } from './audit';
import { generatePassword, hashPassword } from './passwords';

const PASSWORD_FILE = 'first-admin-password.txt';

export function firstAdminPasswordFile(): string {
  return resolve(join(serverConfig().DATA_DIR, PASSWORD_FILE));
}

async function writePasswordFile(username: string, password: string): Promise<string> {
  const path = firstAdminPasswordFile();
  await mkdir(resolve(serverConfig().DATA_DIR), { recursive: true });
  const text = `用户名：${username}\n初始密码：${password}\n请登录后在“修改密码”页面改掉它；改掉后本文件会自动删除。\n`;
  await writeFile(path, text, { encoding: 'utf8', mode: 0o600 });
  // `mode` applies only when the file is created; a file left from an earlier start is narrowed too.
  await chmod(path, 0o600);
  return path;
}

/** Deletes the password file once the password it holds is no longer the account's. */
export async function forgetFirstAdminPassword(username: string): Promise<void> {
  const path = firstAdminPasswordFile();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return;
  }
  if (text.startsWith(`用户名：${username}\n`)) await rm(path, { force: true });
}

export async function ensureFirstAdmin(store: Store, print: (line: string) => void = console.log): Promise<void> {
  if ((await store.staff.list()).length > 0) return;
  const config = serverConfig();
  const generated = config.ADMIN_PASSWORD === undefined;
  const password = config.ADMIN_PASSWORD ?? generatePassword();
  const problem = passwordProblem(password, config.ADMIN_USER);
  if (problem) print(`[admin] 警告：ADMIN_PASSWORD 不符合密码要求（${problem}）请登录后尽快修改。`);
  const created = await store.staff.create(
    { username: config.ADMIN_USER, role: 'admin', passwordHash: await hashPassword(password) },
    { onlyIfNoStaff: true },
  );
  if (!created) return;
  await audit({
    actor: null,
    action: 'user.first-admin',
    target: created.username,
    detail: generated ? '生成的初始密码' : '来自 ADMIN_PASSWORD',
  });
  if (generated) {
    const path = await writePasswordFile(created.username, password);
    print(
      `[admin] 已创建首个管理员账号「${created.username}」。初始密码已写入 ${path}（仅本服务的系统用户可读），请登录后立即修改。`,
    );
  } else {
    print(`[admin] 已用 ADMIN_PASSWORD 创建首个管理员账号「${created.username}」。`);
  }
}
