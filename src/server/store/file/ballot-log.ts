/**
 * The ballot log of the file store and the tallies counted from it, in DATA_DIR:
 *
 *   ballots.jsonl          append-only ballot log, one checksummed line per ballot (lib/voting/log-framing)
 *   tally-snapshot.txt     tallies + indexes as of a log offset (snapshot.ts)
 *   address-review/        today's address hashes (see keys.ts)
 *
 * Ballots are acknowledged only after a group commit: one write + fdatasync covers every ballot that
 * queued while the previous fdatasync ran. Tallies and indexes change only after that fdatasync, so
 * a failed batch is neither acknowledged nor counted, and the log is cut back to its last good end.
 */
import { EventEmitter } from 'node:events';
import { closeSync, fstatSync, ftruncateSync, fsyncSync, openSync, readSync } from 'node:fs';
import { appendFile, open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { WriteIn } from '~/lib/voting/ballot-rules';
import { decodeLine, encodeRecord, scanRecords } from '~/lib/voting/log-framing';
import { addToTally, emptyTally, type CampaignTally, type Channel, type EventType } from '~/lib/voting/tally';
import type { DailyKeys } from '~/server/store/keys';
import { utcDay } from '~/server/store/keys';
import { deviceKey, readSnapshot, writeSnapshot } from '~/server/store/snapshot';
import { StoreUnavailableError } from '~/server/store/store';
import type { AddressReviewEntry, AppendOutcome, Ballot, BallotLog, NewBallot, Tallies } from '~/server/store/store';
import { FILE_MODE } from './durable';

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

/** What a copy of the ballot log holds, replayed without opening it for writing (backups are checked so). */
export function inspectBallotLog(bytes: Buffer): {
  ballots: number;
  tallies: Map<string, CampaignTally>;
  validLength: number;
  damageAt: number | null;
} {
  const tallies = new Map<string, CampaignTally>();
  const ballotOffsets = new Map<string, number>();
  const scan = scanRecords(bytes, 0, (record, offset) => {
    if (isBallotRecord(record)) applyRecord(tallies, ballotOffsets, new Map(), record, offset);
  });
  return { ballots: ballotOffsets.size, tallies, validLength: scan.validLength, damageAt: scan.damageAt };
}

export interface BallotLogOptions {
  dataDir: string;
  dailyKeys: DailyKeys;
  snapshotEveryBallots?: number | undefined;
  snapshotIntervalMs?: number | undefined;
  now: () => Date;
  log: (message: string) => void;
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

export class FileBallotLog implements BallotLog {
  readonly recovery: RecoveryReport;
  readonly tallies: Tallies;
  readonly #dataDir: string;
  readonly #logFd: number;
  readonly #logHandle: FileHandle;
  readonly #dailyKeys: DailyKeys;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #snapshotEvery: number;
  readonly #tallies: Map<string, CampaignTally>;
  readonly #ballotOffsets: Map<string, number>;
  readonly #deviceBallots: Map<string, string>;
  readonly #racingDevices = new Map<string, Promise<AppendOutcome>>();
  readonly #emitter = new EventEmitter();
  readonly #snapshotTimer: NodeJS.Timeout;
  #committedSize: number;
  #queue: QueuedBallot[] = [];
  #flushing: Promise<void> | null = null;
  #snapshotting: Promise<void> | null = null;
  #ballotsSinceSnapshot = 0;
  #closed = false;

  private constructor(init: {
    options: BallotLogOptions;
    logFd: number;
    logHandle: FileHandle;
    committedSize: number;
    tallies: Map<string, CampaignTally>;
    ballotOffsets: Map<string, number>;
    deviceBallots: Map<string, string>;
    recovery: RecoveryReport;
  }) {
    this.#dataDir = init.options.dataDir;
    this.#logFd = init.logFd;
    this.#logHandle = init.logHandle;
    this.#committedSize = init.committedSize;
    this.#dailyKeys = init.options.dailyKeys;
    this.#tallies = init.tallies;
    this.#ballotOffsets = init.ballotOffsets;
    this.#deviceBallots = init.deviceBallots;
    this.#now = init.options.now;
    this.#log = init.options.log;
    this.#snapshotEvery = init.options.snapshotEveryBallots ?? 20_000;
    this.recovery = init.recovery;
    this.#emitter.setMaxListeners(0);
    this.tallies = {
      get: async (campaignId) => {
        const tally = this.#tallies.get(campaignId);
        return tally ? structuredClone(tally) : emptyTally();
      },
      onChange: (listener) => {
        this.#emitter.on('tally', listener);
        return () => this.#emitter.off('tally', listener);
      },
    };
    this.#snapshotTimer = setInterval(() => {
      if (this.#ballotsSinceSnapshot > 0) this.#startSnapshot();
    }, init.options.snapshotIntervalMs ?? 30_000);
    this.#snapshotTimer.unref();
  }

  /** Loads the snapshot, replays the log after it and cuts off a torn last record (the caller holds the lock). */
  static async open(options: BallotLogOptions): Promise<FileBallotLog> {
    const started = performance.now();
    const log = options.log;
    let logFd: number | null = null;
    try {
      const snapshot = readSnapshot(options.dataDir, log);
      const logPath = join(options.dataDir, BALLOT_LOG_FILE);
      logFd = openSync(logPath, 'a+', FILE_MODE);
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
      const logHandle = await open(logPath, 'a', FILE_MODE);
      const ballotLog = new FileBallotLog({
        options,
        logFd,
        logHandle,
        committedSize,
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
        ballotLog.#ballotsSinceSnapshot = scan.count;
        ballotLog.#startSnapshot();
      }
      return ballotLog;
    } catch (error) {
      if (logFd !== null) closeSync(logFd);
      throw error;
    }
  }

  async append(ballot: NewBallot, options: { onePerDevice: boolean }): Promise<AppendOutcome> {
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

  async ofDevice(campaignId: string, deviceHash: string): Promise<string | null> {
    return this.#deviceBallots.get(deviceKey(campaignId, deviceHash)) ?? null;
  }

  async get(ballotId: string): Promise<Ballot | null> {
    const offset = this.#ballotOffsets.get(ballotId);
    if (offset === undefined) return null;
    const buffer = Buffer.allocUnsafe(Math.min(MAX_RECORD_BYTES, this.#committedSize - offset));
    const bytes = readSync(this.#logFd, buffer, 0, buffer.length, offset);
    const end = buffer.subarray(0, bytes).indexOf(0x0a);
    const record = end < 0 ? null : decodeLine(buffer.subarray(0, end));
    return isBallotRecord(record) ? fromRecord(record) : null;
  }

  async readSince(cursor: string | null, limit: number): Promise<{ ballots: Ballot[]; cursor: string }> {
    const end = this.#committedSize;
    let position = cursor === null ? 0 : Number(cursor);
    if (!Number.isSafeInteger(position) || position < 0 || position > end)
      throw new Error(`无效的投票日志游标：${cursor}`);
    const ballots: Ballot[] = [];
    while (position < end && ballots.length < limit) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, end - position));
      const bytes = readSync(this.#logFd, chunk, 0, chunk.length, position);
      let lineStart = 0;
      for (
        let lf = chunk.indexOf(0x0a);
        lf >= 0 && lf < bytes && ballots.length < limit;
        lf = chunk.indexOf(0x0a, lineStart)
      ) {
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

  /** Finishes the batches in flight and writes a last snapshot. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#snapshotTimer);
    while (this.#flushing) await this.#flushing;
    if (this.#snapshotting) await this.#snapshotting;
    if (this.#ballotsSinceSnapshot > 0) {
      this.#startSnapshot();
      await this.#snapshotting;
    }
    await this.#logHandle.close();
    closeSync(this.#logFd);
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
      const buffer =
        batch.length === 1 ? (batch[0] as QueuedBallot).frame : Buffer.concat(batch.map((entry) => entry.frame));
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
      appendFile(this.#dailyKeys.reviewFile(day), lines, { mode: FILE_MODE }).catch((error: Error) =>
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
