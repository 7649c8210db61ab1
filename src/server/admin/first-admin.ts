/**
 * The first admin account: created on the first start (no account yet) from ADMIN_USER and
 * ADMIN_PASSWORD, or with a generated password printed once to the console. Never logged otherwise.
 */
import { passwordProblem } from '../../lib/admin/password-policy';
import { serverConfig } from '../config';
import type { Store } from '../store/store';
import { audit } from './audit';
import { generatePassword, hashPassword } from './passwords';

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
  await audit({ actor: null, action: 'user.first-admin', target: created.username, detail: generated ? '生成的初始密码' : '来自 ADMIN_PASSWORD' });
  if (generated) {
    print(`[admin] 已创建首个管理员账号「${created.username}」，初始密码（只显示这一次，请立即保存并登录后修改）：${password}`);
  } else {
    print(`[admin] 已用 ADMIN_PASSWORD 创建首个管理员账号「${created.username}」。`);
  }
}
