/**
 * Staff accounts from the command line:
 *
 *   npm run admin -- add-user NAME [--role editor|reviewer|admin]   creates an account, prints its password once
 *   npm run admin -- passwd NAME                            sets a new password (ends its sessions)
 *   npm run admin -- list                                   lists the accounts
 *   npm run admin -- token create NAME --scope drafts:create[,publish]
 *                                                           issues a machine client's token, prints it once
 *   npm run admin -- token list                             lists the tokens (never their secrets)
 *   npm run admin -- token revoke ID                        revokes a token at once
 *
 * A password is asked for on a terminal (empty input: a generated one); without a terminal one is
 * generated. The CLI opens the store like the server does. With the file store it takes DATA_DIR's
 * single-writer lock, so it refuses to run while a server uses the same folder (use /admin/users/
 * then) instead of writing portal.json behind the server's back. With DATABASE_URL (PostgreSQL) it
 * runs while the servers run.
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { passwordProblem, USERNAME_PATTERN, USERNAME_RULE } from '../src/lib/admin/password-policy';
import { STAFF_ROLES, STAFF_ROLE_LABELS, type StaffRole } from '../src/lib/admin/types';
import { API_TOKEN_SCOPE_LABELS, parseScopeList, tokenNameSchema } from '../src/lib/publishing/api-tokens';
import { formatBeijingTime } from '../src/lib/time/beijing';
import { issueToken, revokeToken } from '../src/server/admin/tokens';
import { createUser, setPassword } from '../src/server/admin/users';
import { openConfiguredStore, type PortalStore } from '../src/server/store/instance';
import { StoreLockedError } from '../src/server/store/lock';

const USAGE = `用法：
  npm run admin -- add-user 用户名 [--role editor|reviewer|admin]
  npm run admin -- passwd 用户名
  npm run admin -- list
  npm run admin -- token create 名称 --scope drafts:create[,publish]
  npm run admin -- token list
  npm run admin -- token revoke 令牌ID`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

/** Reads a line without echoing it (a password); resolves '' when stdin is not a terminal. */
async function askHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) return '';
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  process.stdout.write(question);
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

/** A typed password (asked twice and checked) or undefined to have one generated. */
async function choosePassword(username: string): Promise<string | undefined> {
  for (;;) {
    const first = await askHidden(`为 ${username} 设置密码（直接回车则自动生成）：`);
    if (first === '') return undefined;
    const problem = passwordProblem(first, username);
    if (problem) {
      console.error(problem);
      continue;
    }
    if ((await askHidden('再输入一次：')) === first) return first;
    console.error('两次输入的密码不一致，请重新输入。');
  }
}

async function main(): Promise<void> {
  const [command, name, ...rest] = process.argv.slice(2);
  if (!command || command === '--help' || command === '-h') fail(USAGE, command ? 0 : 1);
  let store: PortalStore;
  try {
    store = await openConfiguredStore(`npm run admin -- ${command}`, (message) => console.warn(`[store] ${message}`));
  } catch (error) {
    if (error instanceof StoreLockedError) {
      fail(
        `${error.message}\n服务运行期间请在管理后台操作：账号在“账号管理”（/admin/users/），接口令牌在“接口令牌”（/admin/tokens/）。`,
        2,
      );
    }
    throw error;
  }
  const actor = `命令行（${userInfo().username}）`;
  try {
    if (command === 'token') {
      await tokenCommand(store, actor, name, rest);
      return;
    }
    if (command === 'list') {
      for (const user of await store.staff.list()) {
        console.log(`${user.username}\t${STAFF_ROLE_LABELS[user.role]}\t${user.disabledAt ? '已停用' : '正常'}`);
      }
      return;
    }
    if (!name || !USERNAME_PATTERN.test(name)) fail(name ? USERNAME_RULE : USAGE);
    if (command === 'add-user') {
      const roleIndex = rest.indexOf('--role');
      const role = (roleIndex >= 0 ? rest[roleIndex + 1] : 'editor') as StaffRole;
      if (!STAFF_ROLES.includes(role)) fail('角色只能是 editor（编辑）、reviewer（审核人）或 admin（管理员）。');
      const password = await choosePassword(name);
      const result = await createUser(store, name, role, password);
      if (!result.ok) fail(result.message);
      await store.audit.append({
        actor,
        action: 'user.create',
        target: name,
        outcome: 'ok',
        detail: STAFF_ROLE_LABELS[role],
      });
      console.log(`已创建账号「${name}」（${STAFF_ROLE_LABELS[role]}）。`);
      if (password === undefined) console.log(`初始密码（只显示这一次）：${result.password}`);
    } else if (command === 'passwd') {
      const user = await store.staff.byUsername(name);
      if (!user) fail(`没有账号「${name}」。`);
      const password = await choosePassword(name);
      const result = await setPassword(store, user, user.version, password);
      if (!result.ok) fail(result.message);
      await store.audit.append({ actor, action: 'user.password', target: name, outcome: 'ok', detail: null });
      console.log(`已为「${name}」设置新密码，其原有登录会话已结束。`);
      if (password === undefined) console.log(`新密码（只显示这一次）：${result.password}`);
    } else {
      fail(USAGE);
    }
  } finally {
    await store.close();
  }
}

/** `token create|list|revoke`: machine clients' tokens, as the admin page /admin/tokens/ manages them. */
async function tokenCommand(store: PortalStore, actor: string, sub: string | undefined, args: string[]): Promise<void> {
  if (sub === 'list') {
    for (const token of await store.apiTokens.list()) {
      const state = token.revokedAt ? `已吊销 ${formatBeijingTime(token.revokedAt)}` : '有效';
      const used = token.lastUsedAt ? formatBeijingTime(token.lastUsedAt) : '从未使用';
      console.log(`${token.id}\t${token.name}\t${token.scopes.join(',')}\t${state}\t最近使用：${used}`);
    }
    return;
  }
  if (sub === 'create') {
    const [name, flag, scopeText, ...extra] = args;
    const parsedName = tokenNameSchema.safeParse(name ?? '');
    if (!parsedName.success) fail(parsedName.error.issues[0]!.message);
    if (flag !== '--scope' || !scopeText || extra.length > 0) fail(USAGE);
    const scopes = parseScopeList(scopeText);
    if (!scopes.ok) fail(scopes.message);
    const result = await issueToken(store, actor, parsedName.data, scopes.scopes);
    if (!result.ok) fail(result.message);
    console.log(`已签发令牌「${result.token.name}」（ID ${result.token.id}）：`);
    for (const scope of result.token.scopes) console.log(`  ${scope}：${API_TOKEN_SCOPE_LABELS[scope]}`);
    console.log(`令牌（只显示这一次，请交给对方系统的管理员妥善保存）：${result.secret}`);
    return;
  }
  if (sub === 'revoke') {
    const [id, ...extra] = args;
    if (!id || extra.length > 0) fail(USAGE);
    const token = await revokeToken(store, actor, id);
    if (!token) fail(`没有 ID 为「${id}」的令牌（npm run admin -- token list 可查看）。`);
    console.log(`已吊销令牌「${token.name}」：使用它的请求从现在起一律被拒绝。`);
    return;
  }
  fail(USAGE);
}

await main();
