/**
 * Records of the staff side (accounts, sessions, audit, moderation, plan) as they cross the storage
 * interface. Plain data: the file store keeps them in lowdb, a PostgreSQL adapter in tables.
 */
import type { PLAN_METHODS, STAGES } from '~/lib/content-schemas';

/**
 * 编辑 prepare content and submit it for review; 审核人 also approve (审核), publish (签发) and
 * withdraw (撤回) it; 管理员 may do everything, user management and the audit log included.
 */
export const STAFF_ROLES = ['admin', 'reviewer', 'editor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = { admin: '管理员', reviewer: '审核人', editor: '编辑' };

export interface StaffUser {
  id: string;
  username: string;
  role: StaffRole;
  /** Self-describing KDF string (see server/admin/passwords.ts); never leaves the server. */
  passwordHash: string;
  createdAt: string;
  passwordChangedAt: string;
  /** Disabled accounts cannot log in; their sessions end. */
  disabledAt: string | null;
  version: number;
}

export interface StaffSession {
  /** SHA-256 of the session id in the cookie: a copied data folder holds no working session. */
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
}

export type AuditOutcome = 'ok' | 'denied' | 'failed' | 'conflict';

export interface AuditEntry {
  id: string;
  at: string;
  /** Username, or null for an anonymous attempt (e.g. a login for an unknown user). */
  actor: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  /** Short detail for the reader; never a password or a session id. */
  detail: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

/** A write-in by its place in the ballot log: `${ballotId}#${index}`. */
export type WriteInKey = string;

/** Where a merged write-in's votes go. */
export type MergeTarget = { kind: 'candidate'; candidateId: string } | { kind: 'writeIn'; groupKey: string };

export interface WriteInModeration {
  campaignId: string;
  key: WriteInKey;
  status: 'approved' | 'rejected' | 'merged';
  /** Shown to staff; for a rejection it is required. */
  reason: string | null;
  mergedInto: MergeTarget | null;
  decidedBy: string;
  decidedAt: string;
  version: number;
}

export type ModerationDecision =
  { status: 'approved' } | { status: 'rejected'; reason: string } | { status: 'merged'; mergedInto: MergeTarget };

export type PlanMethod = (typeof PLAN_METHODS)[number];
export type PlanStage = (typeof STAGES)[number];

/** A nomination: a candidate (`c:<id>`) or an approved write-in group (`w:<normalised product>`). */
export type NominationKey = string;

export interface PlanItem {
  id: string;
  year: number;
  category: string;
  method: PlanMethod;
  quarters: number[];
  plannedBatches: number | null;
  stages: PlanStage[];
  reason: string;
  /** The nomination it answers. */
  campaignId: string;
  nomination: NominationKey;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

export type PlanItemInput = Pick<
  PlanItem,
  'year' | 'category' | 'method' | 'quarters' | 'plannedBatches' | 'stages' | 'reason' | 'campaignId' | 'nomination'
>;

/** Why a nomination was not adopted, shown to the public on the outcome page. */
export interface NominationDecision {
  campaignId: string;
  nomination: NominationKey;
  declinedReason: string;
  decidedBy: string;
  decidedAt: string;
  version: number;
}

export interface OutcomePublication {
  campaignId: string;
  publishedAt: string;
  publishedBy: string;
}

/** Thrown by the store when a record changed since the version the caller saw. */
export class VersionConflictError extends Error {
  constructor(readonly target: string) {
    super(`记录 ${target} 已被他人修改`);
    this.name = 'VersionConflictError';
  }
}

/** Thrown by the store when the record to change does not exist (any more). */
export class RecordNotFoundError extends Error {
  constructor(readonly target: string) {
    super(`没有找到记录 ${target}`);
    this.name = 'RecordNotFoundError';
  }
}
