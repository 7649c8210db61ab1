/**
 * Publications, attachments and API tokens of the PostgreSQL store. Records and rules come from
 * lib/publishing/records and ../shared, as in the file store; a save reads its row FOR UPDATE,
 * applies the rule and writes in one transaction, so a stale version changes nothing. A public
 * change advances the one `content_version` row and sends NOTIFY in that same transaction: the
 * other processes hear of it exactly when it is committed, and never of a change rolled back.
 */
import type pg from 'pg';
import type { ApiToken, ApiTokenScope, AttachmentRef } from '~/lib/publishing/model';
import type { NewPublication, Publication, PublicationKind } from '~/lib/publishing/model';
import {
  createdPublication,
  hasPublicFace,
  PublicationSlugTakenError,
  publicationDueAt,
  reviewQueueAt,
  savedPublication,
  type ReviewQueueStage,
} from '~/lib/publishing/records';
import { newAttachmentRef } from '~/server/store/shared/attachments';
import { hashSecretToken, isApiTokenSecretShaped, newApiToken, newPublicationId } from '~/server/store/shared/ids';
import type { ApiTokens, Attachments, Publications } from '~/server/store/store';
import { query, transaction, type Queryable } from './db';
import { ChannelListener } from './listen';

export const CONTENT_CHANNEL = 'portal_content';

const UNIQUE_VIOLATION = '23505';

/** The publications table's columns and types, in the order `publicationRow` fills them. */
export const PUBLICATION_COLUMNS = {
  id: 'text',
  kind: 'text',
  slug: 'text',
  version: 'integer',
  updated_at: 'text',
  has_public_face: 'boolean',
  due_at: 'timestamptz',
  record: 'json',
  in_review_since: 'timestamptz',
} as const;

const COLUMNS = Object.keys(PUBLICATION_COLUMNS).join(', ');

/** The row of `publication`: the record and what the store looks it up, orders and filters by. */
export function publicationRow(publication: Publication): Record<keyof typeof PUBLICATION_COLUMNS, unknown> {
  return {
    id: publication.id,
    kind: publication.kind,
    slug: publication.slug,
    version: publication.version,
    updated_at: publication.updatedAt,
    has_public_face: hasPublicFace(publication),
    due_at: publicationDueAt(publication),
    record: publication,
    in_review_since: reviewQueueAt(publication, 'in_review'),
  };
}

/** The column holding each review-queue list's `reviewQueueAt`: null for a draft not in that list. */
const REVIEW_QUEUE_COLUMNS: Record<ReviewQueueStage, keyof typeof PUBLICATION_COLUMNS> = {
  in_review: 'in_review_since',
  scheduled: 'due_at',
};

const rowValues = (publication: Publication): unknown[] => Object.values(publicationRow(publication));

/** Advances the content version and notifies every listening process when this transaction commits. */
async function advanceContentVersion(client: Queryable, listener: ChannelListener): Promise<number> {
  const { rows } = await query<{ version: number }>(
    client,
    'UPDATE content_version SET version = version + 1 RETURNING version',
  );
  const version = rows[0]?.version as number;
  await query(client, 'SELECT pg_notify($1, $2)', [CONTENT_CHANNEL, listener.payload({ version })]);
  return version;
}

export class PgPublications implements Publications {
  readonly #pool: pg.Pool;
  readonly #now: () => Date;
  readonly #listeners = new Set<(version: number) => void>();
  readonly #listener: ChannelListener;

  constructor(init: { pool: pg.Pool; connectionString: string; now: () => Date; log: (message: string) => void }) {
    this.#pool = init.pool;
    this.#now = init.now;
    this.#listener = new ChannelListener({
      connectionString: init.connectionString,
      channel: CONTENT_CHANNEL,
      label: '内容更新',
      heard: ({ version }) => {
        if (typeof version === 'number') this.#announce(version);
      },
      // Changes made while the connection was down were not heard: tell listeners the current version.
      reconnected: async () => this.#announce(await this.contentVersion()),
      log: init.log,
    });
  }

  listen(): Promise<void> {
    return this.#listener.listen();
  }

  close(): Promise<void> {
    return this.#listener.close();
  }

  #announce(version: number): void {
    for (const listener of this.#listeners) listener(version);
  }

  async create(input: NewPublication): Promise<Publication | null> {
    const publication = createdPublication(input, newPublicationId(), this.#now());
    const publicChange = hasPublicFace(publication);
    const version = await transaction(this.#pool, async (client) => {
      const { rowCount } = await query(
        client,
        `INSERT INTO publications (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (kind, slug) DO NOTHING`,
        rowValues(publication),
      );
      if (!rowCount) return null;
      return publicChange ? advanceContentVersion(client, this.#listener) : 0;
    });
    if (version === null) return null;
    if (publicChange) this.#announce(version);
    return publication;
  }

  async get(id: string): Promise<Publication | null> {
    const { rows } = await query<{ record: Publication }>(this.#pool, 'SELECT record FROM publications WHERE id = $1', [
      id,
    ]);
    return rows[0]?.record ?? null;
  }

  async bySlug(kind: PublicationKind, slug: string): Promise<Publication | null> {
    const { rows } = await query<{ record: Publication }>(
      this.#pool,
      'SELECT record FROM publications WHERE kind = $1 AND slug = $2',
      [kind, slug],
    );
    return rows[0]?.record ?? null;
  }

  async list(options: { kind?: PublicationKind; limit: number; offset: number }) {
    const { rows } = await query<{ record: Publication; total: number }>(
      this.#pool,
      `SELECT record, count(*) OVER () AS total FROM publications
       WHERE $1::text IS NULL OR kind = $1
       ORDER BY updated_at DESC, id COLLATE "C" DESC LIMIT $2 OFFSET $3`,
      [options.kind ?? null, options.limit, options.offset],
    );
    if (rows.length > 0) return { items: rows.map((row) => row.record), total: rows[0]?.total as number };
    // An offset past the end returns no rows, so the window count is not there: count apart.
    const counted = await query<{ total: number }>(
      this.#pool,
      'SELECT count(*)::int AS total FROM publications WHERE $1::text IS NULL OR kind = $1',
      [options.kind ?? null],
    );
    return { items: [], total: counted.rows[0]?.total ?? 0 };
  }

  async listReviewQueue(options: { stage: ReviewQueueStage; limit: number; offset: number }) {
    // The same two columns publicationRow fills from reviewQueueAt, each with its partial index.
    const column = REVIEW_QUEUE_COLUMNS[options.stage];
    const { rows } = await query<{ record: Publication; total: number }>(
      this.#pool,
      `SELECT record, count(*) OVER ()::int AS total FROM publications WHERE ${column} IS NOT NULL
       ORDER BY ${column}, id COLLATE "C" LIMIT $1 OFFSET $2`,
      [options.limit, options.offset],
    );
    if (rows.length > 0) return { items: rows.map((row) => row.record), total: rows[0]?.total as number };
    const counted = await query<{ total: number }>(
      this.#pool,
      `SELECT count(*)::int AS total FROM publications WHERE ${column} IS NOT NULL`,
    );
    return { items: [], total: counted.rows[0]?.total ?? 0 };
  }

  async save(next: Publication, expectedVersion: number, options: { publicChange: boolean }): Promise<Publication> {
    const { publication, version } = await transaction(this.#pool, async (client) => {
      const { rows } = await query<{ record: Publication }>(
        client,
        'SELECT record FROM publications WHERE id = $1 FOR UPDATE',
        [next.id],
      );
      const saved = savedPublication(rows[0]?.record, next, expectedVersion, this.#now());
      try {
        await query(
          client,
          `UPDATE publications SET slug = $3, version = $4, updated_at = $5, has_public_face = $6, due_at = $7,
           record = $8, in_review_since = $9 WHERE id = $1 AND kind = $2`,
          rowValues(saved),
        );
      } catch (error) {
        if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
          throw new PublicationSlugTakenError(saved.kind, saved.slug);
        }
        throw error;
      }
      return {
        publication: saved,
        version: options.publicChange ? await advanceContentVersion(client, this.#listener) : 0,
      };
    });
    if (options.publicChange) this.#announce(version);
    return publication;
  }

  async listPublic(): Promise<Publication[]> {
    const { rows } = await query<{ record: Publication }>(
      this.#pool,
      'SELECT record FROM publications WHERE has_public_face ORDER BY updated_at DESC, id COLLATE "C" DESC',
    );
    return rows.map((row) => row.record);
  }

  async listDue(now: string): Promise<Publication[]> {
    const { rows } = await query<{ record: Publication }>(
      this.#pool,
      `SELECT record FROM publications WHERE due_at <= $1::timestamptz
       ORDER BY updated_at DESC, id COLLATE "C" DESC`,
      [now],
    );
    return rows.map((row) => row.record);
  }

  async contentVersion(): Promise<number> {
    const { rows } = await query<{ version: number }>(this.#pool, 'SELECT version FROM content_version');
    return rows[0]?.version ?? 0;
  }

  onContentChange(listener: (version: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export class PgAttachments implements Attachments {
  constructor(readonly pool: pg.Pool) {}

  async put(file: Omit<AttachmentRef, 'id'>, content: Buffer): Promise<AttachmentRef> {
    const ref = newAttachmentRef(file, content);
    await query(this.pool, 'INSERT INTO attachments (id, ref, content) VALUES ($1, $2, $3)', [
      ref.id,
      JSON.stringify(ref),
      content,
    ]);
    return ref;
  }

  async get(id: string): Promise<{ ref: AttachmentRef; content: Buffer } | null> {
    const { rows } = await query<{ ref: AttachmentRef; content: Buffer }>(
      this.pool,
      'SELECT ref, content FROM attachments WHERE id = $1',
      [id],
    );
    return rows[0] ? { ref: rows[0].ref, content: rows[0].content } : null;
  }
}

interface ApiTokenRow {
  id: string;
  name: string;
  scopes: ApiTokenScope[];
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const TOKEN_COLUMNS = 'id, name, scopes, created_at, created_by, last_used_at, revoked_at';

const toApiToken = (row: ApiTokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  createdAt: row.created_at,
  createdBy: row.created_by,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export class PgApiTokens implements ApiTokens {
  constructor(
    readonly pool: pg.Pool,
    readonly now: () => Date,
  ) {}

  async create(input: { name: string; scopes: ApiTokenScope[]; createdBy: string }) {
    const { token, secret, secretHash } = newApiToken(input, this.now());
    await query(
      this.pool,
      `INSERT INTO api_tokens (id, name, scopes, secret_hash, created_at, created_by, last_used_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)`,
      [token.id, token.name, JSON.stringify(token.scopes), secretHash, token.createdAt, token.createdBy],
    );
    return { token, secret };
  }

  async bySecret(secret: string, now: string): Promise<ApiToken | null> {
    if (!isApiTokenSecretShaped(secret)) return null;
    const { rows } = await query<ApiTokenRow>(
      this.pool,
      `UPDATE api_tokens SET last_used_at = $2 WHERE secret_hash = $1 AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}`,
      [hashSecretToken(secret), now],
    );
    return rows[0] ? toApiToken(rows[0]) : null;
  }

  async list(): Promise<ApiToken[]> {
    const { rows } = await query<ApiTokenRow>(this.pool, `SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY position`);
    return rows.map(toApiToken);
  }

  async revoke(id: string, now: string): Promise<ApiToken | null> {
    const { rows } = await query<ApiTokenRow>(
      this.pool,
      `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING ${TOKEN_COLUMNS}`,
      [id, now],
    );
    return rows[0] ? toApiToken(rows[0]) : null;
  }
}
