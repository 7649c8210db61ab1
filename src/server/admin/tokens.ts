/**
 * Issuing and revoking machine clients' tokens, for the admin page and the command line alike: the
 * name rule, the audit entry (to the store the caller opened), the secret returned once.
 */
import { tokenNameTaken } from '~/lib/publishing/api-tokens';
import type { ApiToken, ApiTokenScope } from '~/lib/publishing/model';
import { now } from '~/server/clock';
import type { Store } from '~/server/store/store';
import { audit } from './audit';

export type IssueResult = { ok: true; token: ApiToken; secret: string } | { ok: false; message: string };

export async function issueToken(
  store: Store,
  actor: string,
  name: string,
  scopes: ApiTokenScope[],
): Promise<IssueResult> {
  if (tokenNameTaken(await store.apiTokens.list(), name)) {
    return { ok: false, message: `已有名为「${name}」的令牌在使用：请换一个名称，或先吊销旧令牌` };
  }
  const { token, secret } = await store.apiTokens.create({ name, scopes, createdBy: actor });
  await audit(
    { actor, action: 'token.create', target: `token:${token.name}`, detail: `权限：${scopes.join(', ')}` },
    store,
  );
  return { ok: true, token, secret };
}

export async function revokeToken(store: Store, actor: string, id: string): Promise<ApiToken | null> {
  const token = await store.apiTokens.revoke(id, now().toISOString());
  if (token) await audit({ actor, action: 'token.revoke', target: `token:${token.name}` }, store);
  return token;
}
