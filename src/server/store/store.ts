/**
 * The one storage interface of the portal, with two implementations: the file store under DATA_DIR
 * (`file-store.ts`, the default) and PostgreSQL (`pg-store.ts`, when DATABASE_URL is set; several
 * portal processes share one database). `tests/support/store-contract.ts` holds both to the same
 * behaviour. Only domain types cross it: no lowdb, no SQL, no file handles.
 */
import type { WriteIn } from '../../lib/voting/ballot-rules';
import type { CampaignTally, Channel, EventType } from '../../lib/voting/tally';
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
} from '../../lib/admin/types';

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

export type WriteInStatus = 'pending' | 'approved' | 'rejected';

export interface WriteInEntry extends WriteIn {
  ballotId: string;
  /** Position within the ballot (0-based). */
  index: number;
  createdAt: string;
  status: WriteInStatus;
}

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

export type NewStaffUser = Omit<StaffUser, 'id' | 'createdAt' | 'passwordChangedAt' | 'version' | 'disabledAt'>;
export type StaffUserChange = Partial<Pick<StaffUser, 'passwordHash' | 'role' | 'disabledAt'>>;

/**
 * The staff side: accounts, sessions, audit log, write-in moderation, the sampling plan and the
 * published outcome. Editable records carry a `version`; a change naming a stale version rejects
 * with VersionConflictError and changes nothing. Every method changes all or nothing.
 */
export interface StaffStore {
  listStaff(): Promise<StaffUser[]>;
  getStaffByUsername(username: string): Promise<StaffUser | null>;
  getStaff(id: string): Promise<StaffUser | null>;
  /** Null when the username is taken, or (with `onlyIfNoStaff`) when any account exists. */
  createStaff(user: NewStaffUser, options?: { onlyIfNoStaff?: boolean }): Promise<StaffUser | null>;
  /** A new password or disabling the account also ends the account's sessions. */
  updateStaff(id: string, expectedVersion: number, change: StaffUserChange): Promise<StaffUser>;

  createSession(session: StaffSession): Promise<void>;
  getSession(idHash: string): Promise<StaffSession | null>;
  touchSession(idHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Drops sessions created before `createdBefore` or idle since before `lastSeenBefore`. */
  pruneSessions(createdBefore: string, lastSeenBefore: string): Promise<void>;

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first. */
  listAudit(options: { limit: number; offset: number }): Promise<{ entries: AuditEntry[]; total: number }>;

  /**
   * Committed ballots after `cursor` (null: from the first), oldest first, at most `limit`; the
   * returned cursor continues from there. Lets review indexes follow the log instead of rescanning it.
   */
  readBallotsSince(cursor: string | null, limit: number): Promise<{ ballots: Ballot[]; cursor: string }>;
  /** Address hashes of today's ballots after `cursor` (yesterday's are deleted with their key). */
  readAddressReviewSince(cursor: string | null): Promise<{ entries: AddressReviewEntry[]; cursor: string }>;

  listWriteInModeration(campaignId: string): Promise<WriteInModeration[]>;
  /** Decides several write-ins at once; `expectedVersion` 0 means "not decided yet". */
  moderateWriteIns(
    campaignId: string,
    items: readonly { key: WriteInKey; expectedVersion: number }[],
    decision: ModerationDecision,
    actor: string,
  ): Promise<WriteInModeration[]>;

  listPlanItems(filter?: { year?: number; campaignId?: string }): Promise<PlanItem[]>;
  getPlanItem(id: string): Promise<PlanItem | null>;
  createPlanItem(input: PlanItemInput, actor: string): Promise<PlanItem>;
  updatePlanItem(id: string, expectedVersion: number, input: PlanItemInput, actor: string): Promise<PlanItem>;
  deletePlanItem(id: string, expectedVersion: number): Promise<void>;

  listNominationDecisions(campaignId: string): Promise<NominationDecision[]>;
  /** Sets (or with `declinedReason` null clears) why a nomination was not adopted. */
  setNominationDecision(
    campaignId: string,
    nomination: NominationKey,
    expectedVersion: number,
    declinedReason: string | null,
    actor: string,
  ): Promise<NominationDecision | null>;

  listOutcomePublications(): Promise<OutcomePublication[]>;
  setOutcomePublished(campaignId: string, published: boolean, actor: string): Promise<OutcomePublication | null>;
}

export interface VotingStore extends StaffStore {
  /**
   * Stores a ballot durably; resolves only after it is on disk. With `onePerDevice`, a second
   * ballot of the same device and campaign — also one racing the first — is not stored.
   * Rejects with StoreUnavailableError when nothing could be made durable.
   */
  appendBallot(ballot: NewBallot, options: { onePerDevice: boolean }): Promise<AppendOutcome>;
  /** The ballot this device cast in this campaign, if any. */
  ballotOfDevice(campaignId: string, deviceHash: string): Promise<string | null>;
  getBallot(ballotId: string): Promise<Ballot | null>;
  /** The running tally (a copy), without scanning ballots. */
  getTally(campaignId: string): Promise<CampaignTally>;
  /** Called after new ballots of a campaign were counted; returns the unsubscribe function. */
  onTallyChange(listener: (campaignId: string) => void): () => void;

  /** Write-ins of a campaign with their moderation status (pending until staff decide). */
  listWriteIns(campaignId: string): Promise<WriteInEntry[]>;
  setWriteInStatus(ballotId: string, index: number, status: Exclude<WriteInStatus, 'pending'>): Promise<void>;

  createEvent(event: NewOutreachEvent): Promise<OutreachEvent>;
  getEvent(code: string): Promise<OutreachEvent | null>;
  listEvents(campaignId?: string): Promise<OutreachEvent[]>;
  /** Creates a kiosk and returns its secret token once; only a hash of it is kept. */
  createKiosk(eventCode: string): Promise<{ kiosk: Kiosk; token: string }>;
  kioskByToken(token: string): Promise<Kiosk | null>;
  /**
   * Takes the kiosk's turn for a ballot at `now`, refused while its previous accepted ballot is less
   * than `minIntervalSeconds` old — in every process that shares this store. `release` gives the
   * turn back when the ballot could not be stored.
   */
  claimKioskSlot(kioskId: string, now: Date, minIntervalSeconds: number): Promise<KioskSlot>;

  /** Secret that signs device cookies. */
  deviceCookieSecret(): Promise<Buffer>;
  /** Key for hashing client addresses on the UTC day of `now`; rotating it deletes older days. */
  addressKeyOfDay(now: Date): Promise<{ day: string; key: Buffer }>;

  /** Flushes, snapshots and releases the store (the writer lock included). */
  close(): Promise<void>;
}
