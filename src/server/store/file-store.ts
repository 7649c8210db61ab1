/**
 * The file implementation of VotingStore, everything under DATA_DIR:
 *
 *   writer.lock            one writer per folder (pid inside; a dead owner's lock is taken over)
 *   ballots.jsonl          append-only ballot log, one checksummed line per ballot (lib/voting/log-framing)
 *   tally-snapshot.txt     tallies + indexes as of a log offset (snapshot.ts)
 *   portal.json            lowdb documents: events, kiosks, write-in decisions, settings
 *   device-cookie.secret   cookie signing secret (mode 0600) unless DEVICE_COOKIE_SECRET is set
 *   keys/, address-review/ today's address-hashing key and the address hashes made with it
 *
 * Ballots are acknowledged only after a group commit: one write + fdatasync covers every ballot that
 * queued while the previous fdatasync ran. Tallies and indexes change only after that fdatasync, so
 * a failed batch is neither acknowledged nor counted, and the log is cut back to its last good end.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, fstatSync, ftruncateSync, fsyncSync, mkdirSync, openSync, readSync } from 'node:fs';
import { appendFile, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Low } from 'lowdb';
import type { WriteIn } from '../../lib/voting/ballot-rules';
import { eventCodeFromBytes } from '../../lib/voting/event-code';
import { decodeLine, encodeRecord, scanRecords } from '../../lib/voting/log-framing';
import { MinimumInterval } from '../../lib/voting/minimum-interval';
import { addToTally, emptyTally, type CampaignTally, type Channel, type EventType } from '../../lib/voting/tally';
import { openDocuments, type PortalDocuments } from './documents';
import { DailyKeys, loadOrCreateDeviceSecret, utcDay } from './keys';
import { acquireWriterLock, type WriterLock } from './lock';
import { deviceKey, readSnapshot, writeSnapshot } from './snapshot';
import { StaffDocuments } from './staff-documents';
import {
  StoreUnavailableError,
  type AddressReviewEntry,
  type AppendOutcome,
  type Ballot,
  type Kiosk,
  type KioskSlot,
  type NewBallot,
  type NewOutreachEvent,
  type OutreachEvent,
  type StaffStore,
  type VotingStore,
  type WriteInEntry,
  type WriteInStatus,
} from './store';

export const BALLOT_LOG_FILE = 'ballots.jsonl';
/** Longest possible ballot line (3 write-ins at their limits, in UTF-8) with room to spare. */
const MAX_RECORD_BYTES = 64 * 1024;

/** The on-disk record: short, stable field names; `v` lets later versions read old lines. */
interface BallotRecord {
  v: 1;
  id: string;
  campaign: string;
  choices: string[];
  writeIns: WriteIn[];
  district: string | null;
  event: string | null;
  eventType: EventType | null;
  channel: Channel;
  kiosk: string | null;
  createdAt: string;
  device: string;
}

function toRecord(ballot: Ballot): BallotRecord {
  return {
    v: 1,
    id: ballot.id,
    campaign: ballot.campaignId,
    choices: ballot.choices,
    writeIns: ballot.writeIns,
    district: ballot.district,
    event: ballot.event,
    eventType: ballot.eventType,
    channel: ballot.channel,
    kiosk: ballot.kioskId,
    createdAt: ballot.createdAt,
    device: ballot.deviceHash,
  };
}

function fromRecord(record: BallotRecord): Ballot {
  return {
    id: record.id,
    campaignId: record.campaign,
    choices: record.choices,
    writeIns: record.writeIns,
    district: record.district,
    event: record.event,
    eventType: record.eventType,
    channel: record.channel,
    kioskId: record.kiosk,
    createdAt: record.createdAt,
    deviceHash: record.device,
  };
}

function isBallotRecord(value: unknown): value is BallotRecord {
  const record = value as Partial<BallotRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    record.v === 1 &&
    typeof record.id === 'string' &&
    typeof record.campaign === 'string' &&
    Array.isArray(record.choices) &&
    typeof record.createdAt === 'string'
  );
}

export class LogDamagedError extends Error {}

export interface FileStoreOptions {
  dataDir: string;
  /** Who holds the lock, shown to a second process that finds it taken. */
  command: string;
  deviceCookieSecret?: string | undefined;
  snapshotEveryBallots?: number;
  snapshotIntervalMs?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

interface QueuedBallot {
  ballot: Ballot;
  addressHashOfDay: string;
  frame: Buffer;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

export interface RecoveryReport {
  fromSnapshot: boolean;
  replayedBallots: number;
  droppedTornBytes: number;
  ballots: number;
  milliseconds: number;
}

export class FileStore implements VotingStore {
  readonly recovery: RecoveryReport;
  readonly #dataDir: string;
  readonly #lock: WriterLock;
  readonly #logFd: number;
  readonly #logHandle: FileHandle;
  readonly #documents: Low<PortalDocuments>;
  readonly #deviceSecret: Buffer;
  readonly #dailyKeys: DailyKeys;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #snapshotEvery: number;
  readonly #tallies: Map<string, CampaignTally>;
  readonly #ballotOffsets: Map<string, number>;
  readonly #deviceBallots: Map<string, string>;
  readonly #racingDevices = new Map<string, Promise<AppendOutcome>>();
  readonly #emitter = new EventEmitter();
  readonly #staff: StaffDocuments;
  readonly #timers: NodeJS.Timeout[] = [];
  #committedSize: number;
  #queue: QueuedBallot[] = [];
  #flushing: Promise<void> | null = null;
  #snapshotting: Promise<void> | null = null;
  #ballotsSinceSnapshot = 0;
  #documentWrites: Promise<void> = Promise.resolve();
  #closed = false;
  /** Kiosk pacing lives in this process: one process owns DATA_DIR, so it sees every kiosk ballot. */
  #kioskPacing: { seconds: number; interval: MinimumInterval } | null = null;
  #kioskClockMs = 0;

  private constructor(init: {
    options: FileStoreOptions;
    lock: WriterLock;
    logFd: number;
    logHandle: FileHandle;
    committedSize: number;
    documents: Low<PortalDocuments>;
    deviceSecret: Buffer;
    dailyKeys: DailyKeys;
    tallies: Map<string, CampaignTally>;
    ballotOffsets: Map<string, number>;
    deviceBallots: Map<string, string>;
    recovery: RecoveryReport;
  }) {
    this.#dataDir = init.options.dataDir;
    this.#lock = init.lock;
    this.#logFd = init.logFd;
    this.#logHandle = init.logHandle;
    this.#committedSize = init.committedSize;
    this.#documents = init.documents;
    this.#deviceSecret = init.deviceSecret;
    this.#dailyKeys = init.dailyKeys;
    this.#tallies = init.tallies;
    this.#ballotOffsets = init.ballotOffsets;
    this.#deviceBallots = init.deviceBallots;
    this.#now = init.options.now ?? (() => new Date());
    this.#log = init.options.log ?? ((message) => console.warn(message));
    this.#snapshotEvery = init.options.snapshotEveryBallots ?? 20_000;
    this.recovery = init.recovery;
    this.#staff = new StaffDocuments({
      data: () => this.#documents.data,
      update: (change) => this.#updateDocuments(change),
      now: this.#now,
      dataDir: this.#dataDir,
    });
    this.#emitter.setMaxListeners(0);
    const every = (ms: number, task: () => void) => {
      const timer = setInterval(task, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(init.options.snapshotIntervalMs ?? 30_000, () => {
      if (this.#ballotsSinceSnapshot > 0) this.#startSnapshot();
    });
    // Rotates the address key (and deletes yesterday's) even when nobody votes after midnight.
    every(10 * 60_000, () => this.#dailyKeys.keyOf(this.#now()));
  }

  /** Locks DATA_DIR, loads the snapshot, replays the log after it and cuts off a torn last record. */
  static async open(options: FileStoreOptions): Promise<FileStore> {
    const started = performance.now();
    const log = options.log ?? ((message: string) => console.warn(message));
    mkdirSync(options.dataDir, { recursive: true });
    const lock = acquireWriterLock(options.dataDir, options.command);
    let logFd: number | null = null;
    try {
      const snapshot = readSnapshot(options.dataDir, log);
      const logPath = join(options.dataDir, BALLOT_LOG_FILE);
      logFd = openSync(logPath, 'a+', 0o600);
      const size = fstatSync(logFd).size;
      let state = snapshot;
      if (state && state.logOffset > size) {
        log(`快照覆盖到第 ${state.logOffset} 字节，但投票日志只有 ${size} 字节：忽略快照，从头重放。`);
        state = null;
      }
      const tallies = state?.tallies ?? new Map<string, CampaignTally>();
      const ballotOffsets = state?.ballotOffsets ?? new Map<string, number>();
      const deviceBallots = state?.deviceBallots ?? new Map<string, string>();
      const from = state?.logOffset ?? 0;

      const tail = Buffer.allocUnsafe(size - from);
      let read = 0;
      while (read < tail.length) {
        const bytes = readSync(logFd, tail, read, tail.length - read, from + read);
        if (bytes === 0) break;
        read += bytes;
      }
      const scan = scanRecords(tail.subarray(0, read), from, (record, offset) => {
        if (!isBallotRecord(record)) throw new LogDamagedError(`投票日志第 ${offset} 字节处的记录格式不对。`);
        applyRecord(tallies, ballotOffsets, deviceBallots, record, offset);
      });
      let droppedTornBytes = 0;
      if (scan.damageAt !== null) {
        if (scan.damageInMiddle) {
          throw new LogDamagedError(
            `投票日志 ${logPath} 在第 ${scan.damageAt} 字节处损坏，而其后还有完整的记录：` +
              '这不是崩溃留下的半行。为免丢票，服务拒绝启动；请先备份该文件并人工检查。',
          );
        }
        droppedTornBytes = size - scan.damageAt;
        ftruncateSync(logFd, scan.damageAt);
        fsyncSync(logFd);
        log(`投票日志末尾有 ${droppedTornBytes} 字节不完整的记录（崩溃时未写完，从未确认），已截去。`);
      }
      const committedSize = from + scan.validLength;
      const documents = await openDocuments(options.dataDir);
      const deviceSecret = loadOrCreateDeviceSecret(options.dataDir, options.deviceCookieSecret);
      const dailyKeys = new DailyKeys(options.dataDir);
      dailyKeys.keyOf((options.now ?? (() => new Date()))());
      const logHandle = await open(logPath, 'a', 0o600);
      const store = new FileStore({
        options,
        lock,
        logFd,
        logHandle,
        committedSize,
        documents,
        deviceSecret,
        dailyKeys,
        tallies,
        ballotOffsets,
        deviceBallots,
        recovery: {
          fromSnapshot: state !== null,
          replayedBallots: scan.count,
          droppedTornBytes,
          ballots: ballotOffsets.size,
          milliseconds: Math.round(performance.now() - started),
        },
      });
      if (scan.count >= (options.snapshotEveryBallots ?? 20_000)) {
        store.#ballotsSinceSnapshot = scan.count;
        store.#startSnapshot();
      }
      return store;
    } catch (error) {
      if (logFd !== null) closeSync(logFd);
      lock.release();
      throw error;
    }
  }

  async appendBallot(ballot: NewBallot, options: { onePerDevice: boolean }): Promise<AppendOutcome> {
    if (!options.onePerDevice) return this.#enqueue(ballot);
    const key = deviceKey(ballot.campaignId, ballot.deviceHash);
    const existing = this.#deviceBallots.get(key);
    if (existing) return { status: 'duplicate', ballotId: existing };
    const racing = this.#racingDevices.get(key);
    if (racing) {
      const first = await racing;
      return first.status === 'stored' ? { status: 'duplicate', ballotId: first.ballot.id } : first;
    }
    const pending = this.#enqueue(ballot);
    this.#racingDevices.set(key, pending);
    const forget = () => this.#racingDevices.delete(key);
    pending.then(forget, forget);
    return pending;
  }

  async ballotOfDevice(campaignId: string, deviceHash: string): Promise<string | null> {
    return this.#deviceBallots.get(deviceKey(campaignId, deviceHash)) ?? null;
  }

  async getBallot(ballotId: string): Promise<Ballot | null> {
    const offset = this.#ballotOffsets.get(ballotId);
    if (offset === undefined) return null;
    const buffer = Buffer.allocUnsafe(Math.min(MAX_RECORD_BYTES, this.#committedSize - offset));
    const bytes = readSync(this.#logFd, buffer, 0, buffer.length, offset);
    const end = buffer.subarray(0, bytes).indexOf(0x0a);
    const record = end < 0 ? null : decodeLine(buffer.subarray(0, end));
    return isBallotRecord(record) ? fromRecord(record) : null;
  }

  async getTally(campaignId: string): Promise<CampaignTally> {
    const tally = this.#tallies.get(campaignId);
    return tally ? structuredClone(tally) : emptyTally();
  }

  onTallyChange(listener: (campaignId: string) => void): () => void {
    this.#emitter.on('tally', listener);
    return () => this.#emitter.off('tally', listener);
  }

  async listWriteIns(campaignId: string): Promise<WriteInEntry[]> {
    const decisions = new Map(
      (this.#documents.data.writeInDecisions ?? []).map((decision) => [`${decision.ballotId}#${decision.index}`, decision.status]),
    );
    const entries: WriteInEntry[] = [];
    await this.#forEachBallot((ballot) => {
      if (ballot.campaignId !== campaignId) return;
      ballot.writeIns.forEach((writeIn, index) => {
        entries.push({
          ...writeIn,
          ballotId: ballot.id,
          index,
          createdAt: ballot.createdAt,
          status: decisions.get(`${ballot.id}#${index}`) ?? 'pending',
        });
      });
    });
    return entries;
  }

  async setWriteInStatus(ballotId: string, index: number, status: Exclude<WriteInStatus, 'pending'>): Promise<void> {
    const ballot = await this.getBallot(ballotId);
    if (!ballot || !ballot.writeIns[index]) throw new Error(`没有这条自填建议：${ballotId}#${index}`);
    await this.#updateDocuments((data) => {
      data.writeInDecisions = data.writeInDecisions.filter((d) => !(d.ballotId === ballotId && d.index === index));
      data.writeInDecisions.push({ ballotId, index, status, decidedAt: this.#now().toISOString() });
    });
  }

  async createEvent(event: NewOutreachEvent): Promise<OutreachEvent> {
    const taken = new Set(this.#documents.data.events.map((existing) => existing.code));
    let code = eventCodeFromBytes(randomBytes(6));
    while (taken.has(code)) code = eventCodeFromBytes(randomBytes(6));
    const created: OutreachEvent = { ...event, code, createdAt: this.#now().toISOString() };
    await this.#updateDocuments((data) => {
      data.events.push(created);
    });
    return created;
  }

  async getEvent(code: string): Promise<OutreachEvent | null> {
    return this.#documents.data.events.find((event) => event.code === code) ?? null;
  }

  async listEvents(campaignId?: string): Promise<OutreachEvent[]> {
    return this.#documents.data.events.filter((event) => campaignId === undefined || event.campaignId === campaignId);
  }

  async createKiosk(eventCode: string): Promise<{ kiosk: Kiosk; token: string }> {
    const event = await this.getEvent(eventCode);
    if (!event) throw new Error(`没有活动码为 ${eventCode} 的活动`);
    const token = randomBytes(24).toString('base64url');
    const kiosk: Kiosk = {
      id: `k_${randomBytes(6).toString('base64url')}`,
      eventCode,
      campaignId: event.campaignId,
      createdAt: this.#now().toISOString(),
      revokedAt: null,
    };
    await this.#updateDocuments((data) => {
      data.kiosks.push({ ...kiosk, tokenHash: hashToken(token) });
    });
    return { kiosk, token };
  }

  async kioskByToken(token: string): Promise<Kiosk | null> {
    const tokenHash = hashToken(token);
    const found = this.#documents.data.kiosks.find((kiosk) => kiosk.tokenHash === tokenHash && kiosk.revokedAt === null);
    if (!found) return null;
    const { tokenHash: _hidden, ...kiosk } = found;
    return kiosk;
  }

  async claimKioskSlot(kioskId: string, now: Date, minIntervalSeconds: number): Promise<KioskSlot> {
    if (this.#kioskPacing?.seconds !== minIntervalSeconds) {
      this.#kioskPacing = { seconds: minIntervalSeconds, interval: new MinimumInterval(minIntervalSeconds, () => this.#kioskClockMs) };
    }
    this.#kioskClockMs = now.getTime();
    return this.#kioskPacing.interval.claim(kioskId);
  }

  async deviceCookieSecret(): Promise<Buffer> {
    return this.#deviceSecret;
  }

  async addressKeyOfDay(now: Date): Promise<{ day: string; key: Buffer }> {
    const { day, key } = this.#dailyKeys.keyOf(now);
    return { day, key };
  }

  // Staff side (StaffStore): lowdb documents and the audit log live in staff-documents.ts.
  listStaff: StaffStore['listStaff'] = () => this.#staff.listStaff();
  getStaffByUsername: StaffStore['getStaffByUsername'] = (username) => this.#staff.getStaffByUsername(username);
  getStaff: StaffStore['getStaff'] = (id) => this.#staff.getStaff(id);
  createStaff: StaffStore['createStaff'] = (user, options) => this.#staff.createStaff(user, options);
  updateStaff: StaffStore['updateStaff'] = (id, version, change) => this.#staff.updateStaff(id, version, change);
  createSession: StaffStore['createSession'] = (session) => this.#staff.createSession(session);
  getSession: StaffStore['getSession'] = (idHash) => this.#staff.getSession(idHash);
  touchSession: StaffStore['touchSession'] = (idHash, at) => this.#staff.touchSession(idHash, at);
  deleteSession: StaffStore['deleteSession'] = (idHash) => this.#staff.deleteSession(idHash);
  pruneSessions: StaffStore['pruneSessions'] = (created, seen) => this.#staff.pruneSessions(created, seen);
  appendAudit: StaffStore['appendAudit'] = (entry) => this.#staff.appendAudit(entry);
  listAudit: StaffStore['listAudit'] = (options) => this.#staff.listAudit(options);
  listWriteInModeration: StaffStore['listWriteInModeration'] = (id) => this.#staff.listWriteInModeration(id);
  moderateWriteIns: StaffStore['moderateWriteIns'] = (id, items, decision, actor) =>
    this.#staff.moderateWriteIns(id, items, decision, actor);
  listPlanItems: StaffStore['listPlanItems'] = (filter) => this.#staff.listPlanItems(filter);
  getPlanItem: StaffStore['getPlanItem'] = (id) => this.#staff.getPlanItem(id);
  createPlanItem: StaffStore['createPlanItem'] = (input, actor) => this.#staff.createPlanItem(input, actor);
  updatePlanItem: StaffStore['updatePlanItem'] = (id, version, input, actor) => this.#staff.updatePlanItem(id, version, input, actor);
  deletePlanItem: StaffStore['deletePlanItem'] = (id, version) => this.#staff.deletePlanItem(id, version);
  listNominationDecisions: StaffStore['listNominationDecisions'] = (id) => this.#staff.listNominationDecisions(id);
  setNominationDecision: StaffStore['setNominationDecision'] = (id, nomination, version, reason, actor) =>
    this.#staff.setNominationDecision(id, nomination, version, reason, actor);
  listOutcomePublications: StaffStore['listOutcomePublications'] = () => this.#staff.listOutcomePublications();
  setOutcomePublished: StaffStore['setOutcomePublished'] = (id, published, actor) =>
    this.#staff.setOutcomePublished(id, published, actor);

  async readBallotsSince(cursor: string | null, limit: number): Promise<{ ballots: Ballot[]; cursor: string }> {
    const end = this.#committedSize;
    let position = cursor === null ? 0 : Number(cursor);
    if (!Number.isSafeInteger(position) || position < 0 || position > end) throw new Error(`无效的投票日志游标：${cursor}`);
    const ballots: Ballot[] = [];
    while (position < end && ballots.length < limit) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, end - position));
      const bytes = readSync(this.#logFd, chunk, 0, chunk.length, position);
      let lineStart = 0;
      for (let lf = chunk.indexOf(0x0a); lf >= 0 && lf < bytes && ballots.length < limit; lf = chunk.indexOf(0x0a, lineStart)) {
        const record = decodeLine(chunk.subarray(lineStart, lf));
        if (isBallotRecord(record)) ballots.push(fromRecord(record));
        lineStart = lf + 1;
      }
      if (lineStart === 0) break;
      position += lineStart;
    }
    return { ballots, cursor: String(position) };
  }

  async readAddressReviewSince(cursor: string | null): Promise<{ entries: AddressReviewEntry[]; cursor: string }> {
    const day = utcDay(this.#now());
    const [cursorDay, offsetText] = (cursor ?? '').split('@');
    const from = cursorDay === day ? Number(offsetText) || 0 : 0;
    let text: Buffer;
    try {
      text = await readFile(this.#dailyKeys.reviewFile(day));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], cursor: `${day}@0` };
      throw error;
    }
    // Only whole lines: the file is appended to while we read.
    const complete = text.lastIndexOf(0x0a) + 1;
    const entries = text
      .subarray(Math.min(from, complete), complete)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as AddressReviewEntry];
        } catch {
          return [];
        }
      });
    return { entries, cursor: `${day}@${Math.max(from, complete)}` };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    while (this.#flushing) await this.#flushing;
    if (this.#snapshotting) await this.#snapshotting;
    if (this.#ballotsSinceSnapshot > 0) {
      this.#startSnapshot();
      await this.#snapshotting;
    }
    await this.#documentWrites;
    await this.#logHandle.close();
    closeSync(this.#logFd);
    this.#lock.release();
  }

  #enqueue(ballot: NewBallot): Promise<AppendOutcome> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError('存储已关闭'));
    const { addressHashOfDay, ...stored } = ballot;
    return new Promise<AppendOutcome>((resolve, reject) => {
      this.#queue.push({ ballot: stored, addressHashOfDay, frame: encodeRecord(toRecord(stored)), resolve, reject });
      this.#flushing ??= this.#drain().finally(() => {
        this.#flushing = null;
      });
    });
  }

  /** Group commit: each round writes and fdatasyncs everything queued while the previous round ran. */
  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      const buffer = batch.length === 1 ? (batch[0] as QueuedBallot).frame : Buffer.concat(batch.map((entry) => entry.frame));
      const start = this.#committedSize;
      try {
        let written = 0;
        while (written < buffer.length) {
          const { bytesWritten } = await this.#logHandle.write(buffer, written, buffer.length - written);
          written += bytesWritten;
        }
        await this.#logHandle.datasync();
      } catch (error) {
        this.#rollBack(start, error);
        const failure = new StoreUnavailableError(`投票日志写入失败：${(error as Error).message}`, { cause: error });
        for (const entry of batch) entry.reject(failure);
        continue;
      }
      this.#committedSize = start + buffer.length;
      let offset = start;
      const changed = new Set<string>();
      for (const entry of batch) {
        applyRecord(this.#tallies, this.#ballotOffsets, this.#deviceBallots, toRecord(entry.ballot), offset);
        offset += entry.frame.length;
        changed.add(entry.ballot.campaignId);
      }
      this.#ballotsSinceSnapshot += batch.length;
      for (const entry of batch) entry.resolve({ status: 'stored', ballot: entry.ballot });
      this.#recordAddressHashes(batch);
      for (const campaignId of changed) this.#emitter.emit('tally', campaignId);
      if (this.#ballotsSinceSnapshot >= this.#snapshotEvery) this.#startSnapshot();
    }
  }

  /** Cuts off whatever part of a failed batch reached the file, so a restart cannot count it. */
  #rollBack(start: number, cause: unknown): void {
    try {
      ftruncateSync(this.#logFd, start);
      this.#log(`投票日志写入失败（${(cause as Error).message}），本批未确认的投票已撤回。`);
    } catch (error) {
      this.#log(`投票日志写入失败且无法截回到 ${start} 字节（${(error as Error).message}）；重启时会检查日志末尾。`);
    }
  }

  /** Address hashes go to the day's review file, not the ballot log, so they die with the day's key. */
  #recordAddressHashes(batch: QueuedBallot[]): void {
    const byDay = new Map<string, string>();
    for (const entry of batch) {
      const day = utcDay(new Date(entry.ballot.createdAt));
      const line = `${JSON.stringify({ ballotId: entry.ballot.id, campaignId: entry.ballot.campaignId, addressHash: entry.addressHashOfDay })}\n`;
      byDay.set(day, (byDay.get(day) ?? '') + line);
    }
    for (const [day, lines] of byDay) {
      appendFile(this.#dailyKeys.reviewFile(day), lines, { mode: 0o600 }).catch((error: Error) =>
        this.#log(`地址哈希复核文件写入失败：${error.message}`),
      );
    }
  }

  #startSnapshot(): void {
    if (this.#snapshotting) return;
    const captured = {
      logOffset: this.#committedSize,
      talliesJson: JSON.stringify(Object.fromEntries(this.#tallies)),
      campaigns: [...this.#tallies.keys()],
    };
    const covered = this.#ballotsSinceSnapshot;
    this.#snapshotting = writeSnapshot(this.#dataDir, captured, this.#ballotOffsets, this.#deviceBallots)
      .then(() => {
        this.#ballotsSinceSnapshot -= covered;
      })
      .catch((error: Error) => this.#log(`快照写入失败（不影响已确认的投票，日志仍完整）：${error.message}`))
      .finally(() => {
        this.#snapshotting = null;
      });
  }

  async #forEachBallot(visit: (ballot: Ballot) => void): Promise<void> {
    const end = this.#committedSize;
    const chunkSize = 4 * 1024 * 1024;
    let carry = Buffer.alloc(0);
    for (let position = 0; position < end; position += chunkSize) {
      const chunk = Buffer.allocUnsafe(Math.min(chunkSize, end - position));
      const bytes = readSync(this.#logFd, chunk, 0, chunk.length, position);
      const buffer = Buffer.concat([carry, chunk.subarray(0, bytes)]);
      let lineStart = 0;
      for (let lf = buffer.indexOf(0x0a); lf >= 0; lf = buffer.indexOf(0x0a, lineStart)) {
        const record = decodeLine(buffer.subarray(lineStart, lf));
        if (isBallotRecord(record)) visit(fromRecord(record));
        lineStart = lf + 1;
      }
      carry = Buffer.from(buffer.subarray(lineStart));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async #updateDocuments(change: (data: PortalDocuments) => void): Promise<void> {
    const write = this.#documentWrites.then(async () => {
      // The change applies to a copy: a change that throws (a version conflict) or a write that
      // fails (full disk) leaves memory exactly as the file is, so nothing is half-saved.
      const previous = this.#documents.data;
      const next = structuredClone(previous);
      change(next);
      this.#documents.data = next;
      try {
        await this.#documents.write();
      } catch (error) {
        this.#documents.data = previous;
        throw error;
      }
    });
    this.#documentWrites = write.catch(() => undefined);
    await write;
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function applyRecord(
  tallies: Map<string, CampaignTally>,
  ballotOffsets: Map<string, number>,
  deviceBallots: Map<string, string>,
  record: BallotRecord,
  offset: number,
): void {
  let tally = tallies.get(record.campaign);
  if (!tally) {
    tally = emptyTally();
    tallies.set(record.campaign, tally);
  }
  addToTally(tally, {
    choices: record.choices,
    writeInCount: record.writeIns.length,
    district: record.district,
    event: record.event,
    eventType: record.eventType,
    channel: record.channel,
    createdAt: record.createdAt,
  });
  ballotOffsets.set(record.id, offset);
  if (record.channel !== 'kiosk') {
    const key = deviceKey(record.campaign, record.device);
    if (!deviceBallots.has(key)) deviceBallots.set(key, record.id);
  }
}
