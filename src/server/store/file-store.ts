/**
 * The file implementation of Store, everything under DATA_DIR (created 0700, every file 0600):
 *
 *   writer.lock            one writer per folder (pid inside; a dead owner's lock is taken over)
 *   ballots.jsonl          append-only ballot log and its tally snapshot (file/ballot-log.ts)
 *   portal.json            lowdb documents: events, kiosks, staff, plan, moderation, API tokens (file/documents.ts)
 *   publications/          one file per publication (file/publications.ts)
 *   attachments/           uploaded files by id, each with its record (file/publications.ts)
 *   pending-uploads/       spreadsheets waiting for their column mapping (file/pending-uploads.ts)
 *   audit.jsonl[.n]        the audit log, rotated (file/audit-log.ts)
 *   device-cookie.secret   cookie signing secret unless DEVICE_COOKIE_SECRET is set (keys.ts)
 *   keys/, address-review/ today's address-hashing key and the address hashes made with it
 *
 * Each port is its own object; this class only opens them in order, under the lock, and closes them.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { serverClock } from '~/server/clock';
import { DailyKeys, FileSecrets, loadOrCreateDeviceSecret } from './keys';
import { acquireWriterLock, type WriterLock } from './lock';
import type { Store } from './store';
import { FileAuditLog } from './file/audit-log';
import { FileBallotLog, type RecoveryReport } from './file/ballot-log';
import { DocumentFile } from './file/documents';
import {
  FileEvents,
  FileKiosks,
  FileModeration,
  FileOutcomes,
  FileSetAsides,
  FilePlan,
  FileSessions,
  FileStaffAccounts,
} from './file/documents-ports';
import { FOLDER_MODE } from './file/durable';
import { FileApiTokens } from './file/api-tokens';
import { FilePendingUploads } from './file/pending-uploads';
import { FileAttachments, FilePublications } from './file/publications';

export interface FileStoreOptions {
  dataDir: string;
  /** Who holds the lock, shown to a second process that finds it taken. */
  command: string;
  deviceCookieSecret?: string | undefined;
  snapshotEveryBallots?: number;
  snapshotIntervalMs?: number;
  /** Size at which the audit log rotates (tests make it small). */
  auditMaxFileBytes?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

export class FileStore implements Store {
  readonly ballots: FileBallotLog;
  readonly tallies: FileBallotLog['tallies'];
  readonly events: FileEvents;
  readonly kiosks: FileKiosks;
  readonly secrets: FileSecrets;
  readonly staff: FileStaffAccounts;
  readonly sessions: FileSessions;
  readonly audit: FileAuditLog;
  readonly moderation: FileModeration;
  readonly plan: FilePlan;
  readonly outcomes: FileOutcomes;
  readonly setAsides: FileSetAsides;
  readonly publications: FilePublications;
  readonly attachments: FileAttachments;
  readonly pendingUploads: FilePendingUploads;
  readonly apiTokens: FileApiTokens;
  readonly #lock: WriterLock;
  readonly #documents: DocumentFile;
  readonly #keyRotation: NodeJS.Timeout;
  #closing: Promise<void> | null = null;

  private constructor(init: {
    lock: WriterLock;
    ballots: FileBallotLog;
    documents: DocumentFile;
    audit: FileAuditLog;
    secrets: FileSecrets;
    publications: FilePublications;
    attachments: FileAttachments;
    dataDir: string;
    now: () => Date;
  }) {
    this.#lock = init.lock;
    this.#documents = init.documents;
    this.ballots = init.ballots;
    this.tallies = init.ballots.tallies;
    this.audit = init.audit;
    this.secrets = init.secrets;
    this.events = new FileEvents(init.documents, init.now);
    this.kiosks = new FileKiosks(init.documents, init.now);
    this.staff = new FileStaffAccounts(init.documents, init.now);
    this.sessions = new FileSessions(init.documents);
    this.moderation = new FileModeration(init.documents, init.now);
    this.plan = new FilePlan(init.documents, init.now);
    this.outcomes = new FileOutcomes(init.documents, init.now);
    this.setAsides = new FileSetAsides(init.documents, init.now);
    this.publications = init.publications;
    this.attachments = init.attachments;
    this.pendingUploads = new FilePendingUploads(init.dataDir, init.now);
    this.apiTokens = new FileApiTokens(init.documents, init.now);
    // Rotates the address key (and deletes yesterday's) even when nobody votes after midnight.
    this.#keyRotation = setInterval(() => init.secrets.dailyKeys.keyOf(init.now()), 10 * 60_000);
    this.#keyRotation.unref();
  }

  get recovery(): RecoveryReport {
    return this.ballots.recovery;
  }

  /** Locks DATA_DIR, checks every store file, replays the ballot log and opens the documents. */
  static async open(options: FileStoreOptions): Promise<FileStore> {
    const now = options.now ?? serverClock.now;
    const log = options.log ?? ((message: string) => console.warn(message));
    mkdirSync(options.dataDir, { recursive: true, mode: FOLDER_MODE });
    // A folder made by an older version (or by hand) was 0755: password hashes live here.
    chmodSync(options.dataDir, FOLDER_MODE);
    const lock = acquireWriterLock(options.dataDir, options.command);
    try {
      const documents = await DocumentFile.open(options.dataDir);
      const deviceSecret = loadOrCreateDeviceSecret(options.dataDir, options.deviceCookieSecret);
      const dailyKeys = new DailyKeys(options.dataDir);
      dailyKeys.keyOf(now());
      const audit = await FileAuditLog.open({ dataDir: options.dataDir, now, maxFileBytes: options.auditMaxFileBytes });
      const ballots = await FileBallotLog.open({
        dataDir: options.dataDir,
        dailyKeys,
        snapshotEveryBallots: options.snapshotEveryBallots,
        snapshotIntervalMs: options.snapshotIntervalMs,
        now,
        log,
      });
      const publications = await FilePublications.open(options.dataDir, now);
      const attachments = new FileAttachments(options.dataDir);
      return new FileStore({
        lock,
        ballots,
        documents,
        audit,
        secrets: new FileSecrets(deviceSecret, dailyKeys),
        publications,
        attachments,
        dataDir: options.dataDir,
        now,
      });
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#finish();
    return this.#closing;
  }

  /** The lock goes last: until every write is on disk, no other process may open DATA_DIR. */
  async #finish(): Promise<void> {
    clearInterval(this.#keyRotation);
    await this.ballots.close();
    await Promise.all([
      this.#documents.settled(),
      this.audit.settled(),
      this.publications.settled(),
      this.pendingUploads.settled(),
    ]);
    this.#lock.release();
  }
}
