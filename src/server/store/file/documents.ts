/**
 * The small, rarely written documents (events, kiosks, staff, plan, moderation, outcome, API tokens) in
 * DATA_DIR/portal.json through lowdb. Ballots never go here: lowdb rewrites the whole file per write.
 *
 * The file is checked against its schema when opened: a file of the wrong shape (`null`, `[]`, a
 * field of the wrong type) or a truncated one stops the start, naming the file, instead of being
 * taken for an empty store (which would create a new admin and overwrite every account). Writes go
 * through `writeFileDurably`: a change is acknowledged only after the file and its folder are fsynced.
 */
import { Low, type Adapter } from 'lowdb';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PLAN_METHODS, STAGES } from '~/lib/content-schemas';
import { FLAG_KINDS } from '~/lib/admin/suspicious';
import { STAFF_ROLES } from '~/lib/admin/types';
import { CHANNELS, EVENT_TYPES } from '~/lib/voting/tally';
import { API_TOKEN_SCOPES } from '~/lib/publishing/model';
import { writeFileDurably } from './durable';

export const DOCUMENTS_FILE = 'portal.json';

const text = z.string();
const nullableText = z.string().nullable();

const eventSchema = z.object({
  code: text,
  campaignId: text,
  type: z.enum(EVENT_TYPES),
  name: text,
  place: text,
  date: text,
  activeFrom: text,
  activeUntil: text,
  createdAt: text,
});

const kioskSchema = z.object({
  id: text,
  eventCode: text,
  campaignId: text,
  /** SHA-256 of the token: a copied portal.json does not hand out working kiosk links. */
  tokenHash: text,
  createdAt: text,
  revokedAt: nullableText,
});

const staffSchema = z.object({
  id: text,
  username: text,
  role: z.enum(STAFF_ROLES),
  passwordHash: text,
  createdAt: text,
  passwordChangedAt: text,
  disabledAt: nullableText,
  version: z.number().int(),
});

const sessionSchema = z.object({ idHash: text, userId: text, createdAt: text, lastSeenAt: text });

const mergeTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('candidate'), candidateId: text }),
  z.object({ kind: z.literal('writeIn'), groupKey: text }),
]);

const moderationSchema = z.object({
  campaignId: text,
  key: text,
  status: z.enum(['approved', 'rejected', 'merged']),
  reason: nullableText,
  mergedInto: mergeTargetSchema.nullable(),
  decidedBy: text,
  decidedAt: text,
  version: z.number().int(),
});

const planItemSchema = z.object({
  id: text,
  year: z.number().int(),
  category: text,
  method: z.enum(PLAN_METHODS),
  quarters: z.array(z.number().int()),
  plannedBatches: z.number().int().nullable(),
  stages: z.array(z.enum(STAGES)),
  reason: text,
  campaignId: text,
  nomination: text,
  createdBy: text,
  createdAt: text,
  updatedBy: text,
  updatedAt: text,
  version: z.number().int(),
});

const nominationDecisionSchema = z.object({
  campaignId: text,
  nomination: text,
  declinedReason: text,
  decidedBy: text,
  decidedAt: text,
  version: z.number().int(),
});

const countsSchema = z.record(z.string(), z.number().int());

const setAsideSchema = z.object({
  id: text,
  campaignId: text,
  flag: z.object({ kind: z.enum(FLAG_KINDS), key: text, firstAt: text }),
  ballotIds: z.array(text),
  removed: z.object({
    total: z.number().int(),
    candidates: countsSchema,
    channels: z.record(z.enum(CHANNELS), z.number().int()),
    events: countsSchema,
    // Set-asides written before tallies counted votes per event have none.
    eventCandidates: z.record(z.string(), countsSchema).default({}),
    eventTypes: z.record(z.enum(EVENT_TYPES), z.number().int()),
    districts: countsSchema,
    hours: countsSchema,
    writeIns: z.number().int(),
    updatedAt: nullableText,
  }),
  reason: text,
  setAsideBy: text,
  setAsideAt: text,
  restoredBy: nullableText,
  restoredAt: nullableText,
  version: z.number().int(),
});

const outcomePublicationSchema = z.object({ campaignId: text, publishedAt: text, publishedBy: text });

const apiTokenSchema = z.object({
  id: text,
  name: text,
  scopes: z.array(z.enum(API_TOKEN_SCOPES)),
  /** SHA-256 of the secret: a copied portal.json does not hand out API access. */
  secretHash: text,
  createdAt: text,
  createdBy: text,
  lastUsedAt: nullableText,
  revokedAt: nullableText,
});

/** Lists missing from a file written by an older version start empty; a list of the wrong type does not. */
const portalDocumentsSchema = z.object({
  version: z.literal(1),
  events: z.array(eventSchema).default([]),
  kiosks: z.array(kioskSchema).default([]),
  settings: z.record(z.string(), z.unknown()).default({}),
  staff: z.array(staffSchema).default([]),
  sessions: z.array(sessionSchema).default([]),
  writeInModeration: z.array(moderationSchema).default([]),
  planItems: z.array(planItemSchema).default([]),
  nominationDecisions: z.array(nominationDecisionSchema).default([]),
  outcomePublications: z.array(outcomePublicationSchema).default([]),
  setAsides: z.array(setAsideSchema).default([]),
  apiTokens: z.array(apiTokenSchema).default([]),
});

export type PortalDocuments = z.infer<typeof portalDocumentsSchema>;
export type KioskDocument = z.infer<typeof kioskSchema>;
export type ApiTokenDocument = z.infer<typeof apiTokenSchema>;

/** A store file that exists but cannot be used as it is: the start stops, naming the file. */
export class StoreFileDamagedError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(
      `数据文件 ${path} 无法使用（${problem}）。为免覆盖其中的账号与记录，服务拒绝启动；请从备份恢复或人工检查该文件。`,
    );
    this.name = 'StoreFileDamagedError';
  }
}

function emptyDocuments(): PortalDocuments {
  return portalDocumentsSchema.parse({ version: 1 });
}

/** Parses and checks portal.json; a missing file is an empty store, anything unusable throws. */
export function parseDocuments(path: string, content: string): PortalDocuments {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new StoreFileDamagedError(path, `不是完整的 JSON，可能被截断：${(error as Error).message}`);
  }
  const parsed = portalDocumentsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StoreFileDamagedError(
      path,
      `结构不对：${issue ? `${issue.path.join('.') || '根'}：${issue.message}` : '未知'}`,
    );
  }
  return parsed.data;
}

class CheckedJsonFile implements Adapter<PortalDocuments> {
  constructor(readonly path: string) {}

  async read(): Promise<PortalDocuments | null> {
    let content: string;
    try {
      content = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return parseDocuments(this.path, content);
  }

  write(data: PortalDocuments): Promise<void> {
    return writeFileDurably(this.path, JSON.stringify(data, null, 2));
  }
}

/**
 * portal.json, with one serialized way to change it. The change applies to a copy: a change that
 * throws (a version conflict) or a write that fails (full disk) leaves memory exactly as the file
 * is, so nothing is half-saved.
 */
export class DocumentFile {
  readonly #db: Low<PortalDocuments>;
  #writes: Promise<void> = Promise.resolve();

  private constructor(db: Low<PortalDocuments>) {
    this.#db = db;
  }

  static async open(dataDir: string): Promise<DocumentFile> {
    const db = new Low<PortalDocuments>(new CheckedJsonFile(join(dataDir, DOCUMENTS_FILE)), emptyDocuments());
    await db.read();
    return new DocumentFile(db);
  }

  /** The current documents; read-only for callers (change them through `change`). */
  get data(): Readonly<PortalDocuments> {
    return this.#db.data;
  }

  /** Runs `change` on a copy in the serialized update, writes it durably, and hands back what it returned. */
  change<T>(change: (data: PortalDocuments) => T): Promise<T> {
    const write = this.#writes.then(async () => {
      const previous = this.#db.data;
      const next = structuredClone(previous);
      const result = change(next);
      this.#db.data = next;
      try {
        await this.#db.write();
      } catch (error) {
        this.#db.data = previous;
        throw error;
      }
      return result;
    });
    this.#writes = write.then(
      () => undefined,
      () => undefined,
    );
    return write;
  }

  /** Resolves once every change begun so far is written. */
  async settled(): Promise<void> {
    await this.#writes;
  }
}
