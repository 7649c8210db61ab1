/**
 * The rules of machine clients' tokens (the bureau's supervision system posting announcements):
 * what a token may be called, which scopes exist and how they are written, and how a request
 * presents its secret. The secrets themselves are made and hashed by the store.
 */
import { z } from 'zod';
import { API_TOKEN_SCOPES, type ApiToken, type ApiTokenScope } from './model';

export const API_TOKEN_SCOPE_LABELS: Record<ApiTokenScope, string> = {
  'drafts:create': '提交草稿（等待审核）',
  publish: '直接发布（仅在单人审核模式 PUBLISH_REVIEW=single 下有效）',
};

/** A name staff recognise in the audit log as `token:<name>`. */
export const TOKEN_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$/u;
export const TOKEN_NAME_RULE = '名称 1–64 个字，以字母、汉字或数字开头，可含点、下划线和连字符，例如 jianguan-system';

export const tokenNameSchema = z.string({ error: TOKEN_NAME_RULE }).trim().regex(TOKEN_NAME_PATTERN, TOKEN_NAME_RULE);

const scopeSchema = z.enum(API_TOKEN_SCOPES, {
  error: `权限只能是 ${API_TOKEN_SCOPES.join('、')}`,
});

/** Scopes as the admin form sends them (one checkbox each) and as the command line writes them. */
export const tokenScopesSchema = z
  .array(scopeSchema)
  .min(1, '请至少选择一项权限')
  .transform((scopes) => API_TOKEN_SCOPES.filter((scope) => scopes.includes(scope)));

export const newTokenSchema = z.object({ name: tokenNameSchema, scopes: tokenScopesSchema });

/** `drafts:create,publish` → the scopes, or the reason they are not scopes. */
export function parseScopeList(text: string): { ok: true; scopes: ApiTokenScope[] } | { ok: false; message: string } {
  const parsed = tokenScopesSchema.safeParse(
    text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );
  return parsed.success ? { ok: true, scopes: parsed.data } : { ok: false, message: parsed.error.issues[0]!.message };
}

/** The secret of `Authorization: Bearer <secret>`; null when the header is missing or another scheme. */
export function bearerSecret(authorization: string | null): string | null {
  const match = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,512})[ \t]*$/i.exec(authorization ?? '');
  return match ? match[1]! : null;
}

export const hasScope = (token: Pick<ApiToken, 'scopes'>, scope: ApiTokenScope): boolean =>
  token.scopes.includes(scope);

/** Names are how the audit log tells clients apart (`token:<name>`): no two tokens in use share one. */
export function tokenNameTaken(tokens: readonly Pick<ApiToken, 'name' | 'revokedAt'>[], name: string): boolean {
  return tokens.some((token) => token.revokedAt === null && token.name.toLowerCase() === name.toLowerCase());
}
