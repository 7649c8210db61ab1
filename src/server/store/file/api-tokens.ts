/** API tokens of the file store, kept in portal.json as their secret's hash (records from ../shared). */
import type { ApiToken, ApiTokenScope } from '~/lib/publishing/model';
import { hashSecretToken, isApiTokenSecretShaped, newApiToken } from '~/server/store/shared/ids';
import type { ApiTokens } from '~/server/store/store';
import type { ApiTokenDocument, DocumentFile } from './documents';

function withoutSecretHash({ secretHash: _hidden, ...token }: ApiTokenDocument): ApiToken {
  return { ...token, scopes: [...token.scopes] };
}

export class FileApiTokens implements ApiTokens {
  constructor(
    readonly documents: DocumentFile,
    readonly now: () => Date,
  ) {}

  create(input: { name: string; scopes: ApiTokenScope[]; createdBy: string }) {
    return this.documents.change((data) => {
      const { token, secret, secretHash } = newApiToken(input, this.now());
      data.apiTokens.push({ ...token, secretHash });
      return { token: structuredClone(token), secret };
    });
  }

  async bySecret(secret: string, now: string): Promise<ApiToken | null> {
    if (!isApiTokenSecretShaped(secret)) return null;
    const secretHash = hashSecretToken(secret);
    const live = (token: ApiTokenDocument) => token.secretHash === secretHash && token.revokedAt === null;
    if (!this.documents.data.apiTokens.some(live)) return null;
    return this.documents.change((data) => {
      const token = data.apiTokens.find(live);
      if (!token) return null;
      token.lastUsedAt = now;
      return withoutSecretHash(token);
    });
  }

  async list(): Promise<ApiToken[]> {
    return this.documents.data.apiTokens.map(withoutSecretHash);
  }

  revoke(id: string, now: string): Promise<ApiToken | null> {
    return this.documents.change((data) => {
      const token = data.apiTokens.find((candidate) => candidate.id === id);
      if (!token) return null;
      token.revokedAt ??= now;
      return withoutSecretHash(token);
    });
  }
}
