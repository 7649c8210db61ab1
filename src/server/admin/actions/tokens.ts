/**
 * The form actions of the tokens page (/admin/tokens/), one named handler per action: issue a
 * token for a machine client (its secret shown this once) and revoke one. The page's guard lets in
 * admins only and checks the CSRF token; each action is audited by the token commands.
 */
import type { FieldError } from '~/lib/admin/forms';
import { formToObject, validate } from '~/lib/admin/forms';
import { ADMIN_MESSAGES, ADMIN_STATUS } from '~/lib/admin/messages';
import { newTokenSchema } from '~/lib/publishing/api-tokens';
import type { ApiToken } from '~/lib/publishing/model';
import { getStore } from '~/server/store/instance';
import type { StaffContext } from '../auth';
import { readStaffForm } from '../http';
import { issueToken, revokeToken } from '../tokens';

export interface TokensPageState {
  status: number;
  errors: FieldError[];
  /** What the "new token" form shows: what was typed after a refusal, else the defaults. */
  values: { name: string; scopes: string[] };
  /** A token's secret, shown this once. */
  shownOnce: { token: ApiToken; secret: string } | null;
  notice: string | null;
}

const NEW_TOKEN_DEFAULTS = { name: '', scopes: ['drafts:create'] };

export const tokensPageAtRest: TokensPageState = {
  status: 200,
  errors: [],
  values: NEW_TOKEN_DEFAULTS,
  shownOnce: null,
  notice: null,
};

const refused = (errors: FieldError[], status: number, values = NEW_TOKEN_DEFAULTS): TokensPageState => ({
  ...tokensPageAtRest,
  status,
  errors,
  values,
});

/** Dispatches the page's POST to its action; a Response is the answer instead of the page (413, 415). */
export async function handleTokensAction(request: Request, staff: StaffContext): Promise<TokensPageState | Response> {
  const read = await readStaffForm(request);
  if (!read.ok) return read.response;
  const form = formToObject(read.form, ['scopes']);
  if (form.action === 'create') return createToken(staff, form);
  if (form.action === 'revoke') return revokeTokenAction(staff, String(form.tokenId ?? ''));
  return refused([{ field: 'tokens', message: ADMIN_MESSAGES.VALIDATION_FAILED }], ADMIN_STATUS.VALIDATION_FAILED);
}

export async function createToken(staff: StaffContext, form: Record<string, unknown>): Promise<TokensPageState> {
  const typed = { name: String(form.name ?? ''), scopes: (form.scopes as string[] | undefined) ?? [] };
  const parsed = validate(newTokenSchema, form);
  if (!parsed.ok) return refused(parsed.errors, ADMIN_STATUS.VALIDATION_FAILED, typed);
  const result = await issueToken(await getStore(), staff.user.username, parsed.data.name, parsed.data.scopes);
  if (!result.ok) return refused([{ field: 'name', message: result.message }], ADMIN_STATUS.VALIDATION_FAILED, typed);
  return { ...tokensPageAtRest, shownOnce: { token: result.token, secret: result.secret } };
}

export async function revokeTokenAction(staff: StaffContext, tokenId: string): Promise<TokensPageState> {
  const token = await revokeToken(await getStore(), staff.user.username, tokenId);
  if (!token) return refused([{ field: 'tokens', message: ADMIN_MESSAGES.NOT_FOUND }], ADMIN_STATUS.NOT_FOUND);
  return { ...tokensPageAtRest, notice: `已吊销令牌「${token.name}」：使用它的请求从现在起一律被拒绝。` };
}
