/**
 * The small, rarely written documents (events, kiosks, write-in decisions, settings) in
 * DATA_DIR/portal.json through lowdb. Ballots never go here: lowdb rewrites the whole file per write.
 * `new Low(new JSONFile())` on purpose: `JSONFilePreset` keeps data in memory only under NODE_ENV=test.
 */
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { join } from 'node:path';
import type { EventType } from '../../lib/voting/tally';
import type {
  NominationDecision,
  OutcomePublication,
  PlanItem,
  StaffSession,
  StaffUser,
  WriteInModeration,
} from '../../lib/admin/types';

export const DOCUMENTS_FILE = 'portal.json';

export interface EventDocument {
  code: string;
  campaignId: string;
  type: EventType;
  name: string;
  place: string;
  date: string;
  activeFrom: string;
  activeUntil: string;
  createdAt: string;
}

export interface KioskDocument {
  id: string;
  eventCode: string;
  campaignId: string;
  /** SHA-256 of the token: a copied portal.json does not hand out working kiosk links. */
  tokenHash: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface WriteInDecisionDocument {
  ballotId: string;
  index: number;
  status: 'approved' | 'rejected';
  decidedAt: string;
}

export interface PortalDocuments {
  version: 1;
  events: EventDocument[];
  kiosks: KioskDocument[];
  writeInDecisions: WriteInDecisionDocument[];
  settings: Record<string, unknown>;
  /** Staff side (see staff-documents.ts). */
  staff: StaffUser[];
  sessions: StaffSession[];
  writeInModeration: WriteInModeration[];
  planItems: PlanItem[];
  nominationDecisions: NominationDecision[];
  outcomePublications: OutcomePublication[];
}

function emptyDocuments(): PortalDocuments {
  return {
    version: 1,
    events: [],
    kiosks: [],
    writeInDecisions: [],
    settings: {},
    staff: [],
    sessions: [],
    writeInModeration: [],
    planItems: [],
    nominationDecisions: [],
    outcomePublications: [],
  };
}

export async function openDocuments(dataDir: string): Promise<Low<PortalDocuments>> {
  const db = new Low<PortalDocuments>(new JSONFile(join(dataDir, DOCUMENTS_FILE)), emptyDocuments());
  await db.read();
  // Files written by an older version may lack newer lists.
  db.data = { ...emptyDocuments(), ...db.data };
  return db;
}
