/**
 * The storage contract of the portal: one small interface (port) per aggregate, gathered in `Store`
 * (`store.ballots`, `store.staff`, …), with two implementations: the file store under DATA_DIR
 * (`file-store.ts`, the default) and PostgreSQL (`pg-store.ts`, when DATABASE_URL is set; several
 * portal processes share one database). The rules both share (version checks, key formats, id
 * recipes, token hashing, kiosk creation) live in `src/lib` and `shared/`; the adapters only persist.
 * `tests/support/store-contract.ts` holds both to the same behaviour. Only domain types cross it.
 */
import type { WriteIn } from '~/lib/voting/ballot-rules';
import type { NewSetAside, SetAside } from '~/lib/voting/set-aside';
import type { NewStaffUser, StaffUserChange } from '~/lib/admin/staff-records';
import type { CampaignTally, Channel, EventType } from '~/lib/voting/tally';
import type {
  AuditEntry,
  ModerationDecision,
  NewAuditEntry,
  NominationDecision,
  NominationKey,
  OutcomePublication,
  PlanItem,
  PlanItemInput,
  StaffSession,
  StaffUser,
  WriteInKey,
  WriteInModeration,
} from '~/lib/admin/types';
import type {
  ApiToken,
  ApiTokenScope,
  AttachmentRef,
  NewPublication,
  Publication,
  PublicationKind,
} from '~/lib/publishing/model';
import type { NewPendingUpload, PendingUpload } from '~/lib/publishing/pending-uploads';
import type { ReviewQueueStage } from '~/lib/publishing/records';

/** 进校园/进社区/进市场: one outreach event of a campaign. */
export interface OutreachEvent {
  /** Short code on posters, e.g. "K7M2QX". */
  code: string;
  campaignId: string;
  type: EventType;
  name: string;
  place: string;
  /** Day of the event, YYYY-MM-DD. */
  date: string;
  /** Window in which ballots may carry this code (ISO with offset). */
  activeFrom: string;
  activeUntil: string;
  createdAt: string;
}

export type NewOutreachEvent = Omit<OutreachEvent, 'code' | 'createdAt'>;

/** A shared device at an event that may cast ballot after ballot. */
export interface Kiosk {
  id: string;
  eventCode: string;
  campaignId: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A stored ballot. No personal data: the device hash is keyed, no address, no user agent. */
export interface Ballot {
  id: string;
  campaignId: string;
  choices: string[];
  writeIns: WriteIn[];
  district: string | null;
  event: string | null;
  eventType: EventType | null;
  channel: Channel;
  kioskId: string | null;
  createdAt: string;
  /** Keyed hash of the device cookie's id. */
  deviceHash: string;
}

export interface NewBallot extends Ballot {
  /**
   * Keyed hash of the client address with the key of the day, kept beside the ballot only for
   * reviewing suspicious patterns; deleted with that day's key.
   */
  addressHashOfDay: string;
}

export type AppendOutcome =
  | { status: 'stored'; ballot: Ballot }
  /** This device already voted in this campaign: the first ballot's id, for its receipt. */
  | { status: 'duplicate'; ballotId: string };

/** A kiosk's turn: taken, or refused until its minimum interval has passed. */
export type KioskSlot = { allowed: true; release: () => void } | { allowed: false; retryAfterSeconds: number };

/** Thrown when the store cannot make a write durable (full disk, I/O error, closed store). */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A ballot's address hash (made with the key of its UTC day), for reviewing bursts. */
export interface AddressReviewEntry {
  ballotId: string;
  campaignId: string;
  addressHash: string;
}

/** The ballot log: append-only, one ballot per device and campaign where asked. */
export interface BallotLog {
  /**
   * Stores a ballot durably; resolves only after it is on disk. With `onePerDevice`, a second
   * ballot of the same device and campaign — also one racing the first — is not stored.
   * Rejects with StoreUnavailableError when nothing could be made durable.
   */
  append(ballot: NewBallot, options: { onePerDevice: boolean }): Promise<AppendOutcome>;
  /** The ballot this device cast in this campaign, if any. */
  ofDevice(campaignId: string, deviceHash: string): Promise<string | null>;
  get(ballotId: string): Promise<Ballot | null>;
  /**
   * Committed ballots after `cursor` (null: from the first), oldest first, at most `limit`; the
   * returned cursor continues from there. Lets review indexes follow the log instead of rescanning it.
   */
  readSince(cursor: string | null, limit: number): Promise<{ ballots: Ballot[]; cursor: string }>;
  /** Address hashes of today's ballots after `cursor` (yesterday's are deleted with their key). */
  readAddressReviewSince(cursor: string | null): Promise<{ entries: AddressReviewEntry[]; cursor: string }>;
}

export interface Tallies {
  /** The running tally (a copy), without scanning ballots. */
  get(campaignId: string): Promise<CampaignTally>;
  /** Called after new ballots of a campaign were counted; returns the unsubscribe function. */
  onChange(listener: (campaignId: string) => void): () => void;
}

/** Flagged ballots staff took out of the official count (lib/voting/set-aside). */
export interface SetAsides {
  /** Oldest first, restored ones included. */
  list(campaignId: string): Promise<SetAside[]>;
  create(setAside: NewSetAside): Promise<SetAside>;
  /** Puts the ballots back into the official count; stale version: VersionConflictError, none: RecordNotFoundError. */
  restore(id: string, expectedVersion: number, actor: string): Promise<SetAside>;
}

export interface Events {
  create(event: NewOutreachEvent): Promise<OutreachEvent>;
  get(code: string): Promise<OutreachEvent | null>;
  list(campaignId?: string): Promise<OutreachEvent[]>;
}

export interface Kiosks {
  /** Creates a kiosk and returns its secret token once; only a hash of it is kept. */
  create(eventCode: string): Promise<{ kiosk: Kiosk; token: string }>;
  /** The kiosk of this token unless it was revoked. */
  byToken(token: string): Promise<Kiosk | null>;
  /** Kiosks of these events, revoked ones included, oldest first. */
  listOfEvents(eventCodes: readonly string[]): Promise<Kiosk[]>;
  /** Stops the kiosk's link from casting; null when there is no such kiosk. Revoking twice keeps the first time. */
  revoke(kioskId: string): Promise<Kiosk | null>;
  /**
   * Takes the kiosk's turn for a ballot at `now`, refused while its previous accepted ballot is less
   * than `minIntervalSeconds` old — in every process that shares this store. `release` gives the
   * turn back when the ballot could not be stored.
   */
  claimSlot(kioskId: string, now: Date, minIntervalSeconds: number): Promise<KioskSlot>;
}

export interface Secrets {
  /** Secret that signs device cookies. */
  deviceCookieSecret(): Promise<Buffer>;
  /** Key for hashing client addresses on the UTC day of `now`; rotating it deletes older days. */
  addressKeyOfDay(now: Date): Promise<{ day: string; key: Buffer }>;
}

/**
 * Editable records carry a `version`; a change naming a stale version rejects with
 * VersionConflictError and changes nothing. Every method changes all or nothing.
 */
export interface StaffAccounts {
  list(): Promise<StaffUser[]>;
  byUsername(username: string): Promise<StaffUser | null>;
  get(id: string): Promise<StaffUser | null>;
  /** Null when the username is taken, or (with `onlyIfNoStaff`) when any account exists. */
  create(user: NewStaffUser, options?: { onlyIfNoStaff?: boolean }): Promise<StaffUser | null>;
  /** A new password or disabling the account also ends the account's sessions. */
  update(id: string, expectedVersion: number, change: StaffUserChange): Promise<StaffUser>;
}

export interface StaffSessions {
  create(session: StaffSession): Promise<void>;
  get(idHash: string): Promise<StaffSession | null>;
  touch(idHash: string, lastSeenAt: string): Promise<void>;
  delete(idHash: string): Promise<void>;
  /** Drops sessions created before `createdBefore` or idle since before `lastSeenBefore`. */
  prune(createdBefore: string, lastSeenBefore: string): Promise<void>;
}

export interface AuditLog {
  /** Appends the entry, its fields cut to the lengths of `lib/admin/audit-entries`. */
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first; reads only as much as the page needs. `total` counts the entries kept. */
  list(options: { limit: number; offset: number }): Promise<{ entries: AuditEntry[]; total: number }>;
}

export interface Moderation {
  list(campaignId: string): Promise<WriteInModeration[]>;
  /** Decides several write-ins at once; `expectedVersion` 0 means "not decided yet". */
  decide(
    campaignId: string,
    items: readonly { key: WriteInKey; expectedVersion: number }[],
    decision: ModerationDecision,
    actor: string,
  ): Promise<WriteInModeration[]>;
}

export interface Plan {
  list(filter?: { year?: number; campaignId?: string }): Promise<PlanItem[]>;
  get(id: string): Promise<PlanItem | null>;
  create(input: PlanItemInput, actor: string): Promise<PlanItem>;
  update(id: string, expectedVersion: number, input: PlanItemInput, actor: string): Promise<PlanItem>;
  delete(id: string, expectedVersion: number): Promise<void>;
  listNominationDecisions(campaignId: string): Promise<NominationDecision[]>;
  /** Sets (or with `declinedReason` null clears) why a nomination was not adopted. */
  setNominationDecision(
    campaignId: string,
    nomination: NominationKey,
    expectedVersion: number,
    declinedReason: string | null,
    actor: string,
  ): Promise<NominationDecision | null>;
}

export interface Outcomes {
  list(): Promise<OutcomePublication[]>;
  setPublished(campaignId: string, published: boolean, actor: string): Promise<OutcomePublication | null>;
}

/**
 * Content staff publish (lib/publishing/model). Every write names the version it saw
 * (VersionConflictError otherwise) and is one durable change. A change to what the public sees
 * (`publicChange`) also advances `contentVersion` and tells every process sharing the store.
 */
export interface Publications {
  /** Null when the kind already has this slug. */
  create(publication: NewPublication): Promise<Publication | null>;
  get(id: string): Promise<Publication | null>;
  bySlug(kind: PublicationKind, slug: string): Promise<Publication | null>;
  /** Newest change first, for the staff lists; bounded by `limit`. */
  list(options: { kind?: PublicationKind; limit: number; offset: number }): Promise<{
    items: Publication[];
    total: number;
  }>;
  /**
   * Replaces the record; `updatedAt` and `version` are set by the store, and `id`, `kind`,
   * `createdAt`, `createdBy` stay as stored. A new slug its kind already has rejects with
   * PublicationSlugTakenError (lib/publishing/records).
   */
  save(next: Publication, expectedVersion: number, options: { publicChange: boolean }): Promise<Publication>;
  /**
   * Every publication with a public face (published or withdrawn): what the public site shows.
   * Reads every such record (seconds at 10,000): keep the result until `contentVersion` moves.
   */
  listPublic(): Promise<Publication[]>;
  /**
   * The drafts of one review-queue list (lib/publishing/records `reviewQueueAt`), every kind,
   * oldest first, bounded by `limit`: however many items there are, each waiting one is on a page.
   */
  listReviewQueue(options: { stage: ReviewQueueStage; limit: number; offset: number }): Promise<{
    items: Publication[];
    total: number;
  }>;
  /** Approved drafts whose `scheduledFor` is at or before `now` (ISO). */
  listDue(now: string): Promise<Publication[]>;
  /** Advances on every public change, in every process that shares the store. */
  contentVersion(): Promise<number>;
  /**
   * Called (in this and, with PostgreSQL, every other process) after a public change; returns the
   * unsubscribe. Another process's change may be heard after a later one of this process: take the
   * version as "content changed", and read `contentVersion()` for the newest.
   */
  onContentChange(listener: (version: number) => void): () => void;
}

/** Uploaded files, kept beside the store and backed up with it. */
export interface Attachments {
  /** Rejects when `file.bytes` or `file.sha256` (hex) does not describe `content`. */
  put(file: Omit<AttachmentRef, 'id'>, content: Buffer): Promise<AttachmentRef>;
  get(id: string): Promise<{ ref: AttachmentRef; content: Buffer } | null>;
}

/**
 * Spreadsheets waiting for their column mapping (lib/publishing/pending-uploads), shared by every
 * process of the store and kept across restarts until they expire.
 */
export interface PendingUploads {
  /**
   * Keeps `content` (rejects one over PENDING_UPLOAD_LIMITS.maxBytes) and, in the same change,
   * drops every expired upload and the owner's oldest beyond PENDING_UPLOAD_LIMITS.perOwner.
   */
  put(upload: NewPendingUpload, content: Buffer): Promise<PendingUpload>;
  /** Null when there is no such upload or it has expired. */
  get(id: string): Promise<{ upload: PendingUpload; content: Buffer } | null>;
  /** Nothing happens for an id that is not there. */
  delete(id: string): Promise<void>;
}

export interface ApiTokens {
  /** Creates a token and returns its secret once; only a hash of it is kept. */
  create(input: { name: string; scopes: ApiTokenScope[]; createdBy: string }): Promise<{
    token: ApiToken;
    secret: string;
  }>;
  /** The token of this secret unless revoked; marks it used at `now`. */
  bySecret(secret: string, now: string): Promise<ApiToken | null>;
  list(): Promise<ApiToken[]>;
  /** Null when there is no such token. Revoking twice keeps the first time. */
  revoke(id: string, now: string): Promise<ApiToken | null>;
}

/** Every port of one opened store. */
export interface Store {
  readonly ballots: BallotLog;
  readonly tallies: Tallies;
  readonly setAsides: SetAsides;
  readonly events: Events;
  readonly kiosks: Kiosks;
  readonly secrets: Secrets;
  readonly staff: StaffAccounts;
  readonly sessions: StaffSessions;
  readonly audit: AuditLog;
  readonly moderation: Moderation;
  readonly plan: Plan;
  readonly outcomes: Outcomes;
  readonly publications: Publications;
  readonly attachments: Attachments;
  readonly pendingUploads: PendingUploads;
  readonly apiTokens: ApiTokens;
  /** Flushes, snapshots and releases the store (the writer lock included). */
  close(): Promise<void>;
}
