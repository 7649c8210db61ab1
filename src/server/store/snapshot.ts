/**
 * Tally snapshots: the tallies and ballot indexes as of one log offset, so start-up replays only the
 * log after it. Written to a temporary file, fsynced, then renamed over the old one: a crash leaves
 * either the old snapshot or the new one, never half of one. A snapshot that fails its checks is
 * ignored and the whole log is replayed instead: the log is the truth, the snapshot only a shortcut.
 *
 * Layout (text, one item per line):
 *   {"version":1,"logOffset":…,"campaigns":[…],"tallies":{…}}
 *   B <ballotId> <offset>                     one per ballot
 *   D <campaignIndex> <deviceHash> <ballotId>  one per device that voted online
 *   END <ballotLines> <deviceLines>
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CampaignTally } from '~/lib/voting/tally';

export const SNAPSHOT_FILE = 'tally-snapshot.txt';
/** 2: tallies count candidate votes per event (`eventCandidates`); a version 1 snapshot is replayed from the log. */
const VERSION = 2;
const LF = 0x0a;
const TAB = 0x09;
const B = 0x42;
const D = 0x44;

export interface SnapshotData {
  logOffset: number;
  tallies: Map<string, CampaignTally>;
  ballotOffsets: Map<string, number>;
  /** Key: `${campaignId}\t${deviceHash}`. */
  deviceBallots: Map<string, string>;
}

export function deviceKey(campaignId: string, deviceHash: string): string {
  // join() builds one flat string. A template literal would make a two-part "cons" string that V8
  // flattens (copies) only when its characters are first read: for a million keys that happened
  // all at once in the first snapshot, and promoting the copies stalled tally reads for ~10 ms.
  return [campaignId, deviceHash].join('\t');
}

interface Header {
  version: number;
  logOffset: number;
  campaigns: string[];
  tallies: Record<string, CampaignTally>;
}

/** Reads the snapshot; null when there is none or it does not pass its checks. */
export function readSnapshot(dataDir: string, warn: (message: string) => void): SnapshotData | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dataDir, SNAPSHOT_FILE));
  } catch {
    return null;
  }
  try {
    // A million-ballot snapshot has two million lines: walk the bytes instead of splitting one
    // huge string into millions of temporary strings.
    const headerEnd = bytes.indexOf(LF);
    if (headerEnd < 0) throw new Error('no header');
    const header = JSON.parse(bytes.toString('utf8', 0, headerEnd)) as Header;
    if (header.version !== VERSION || !Number.isSafeInteger(header.logOffset)) throw new Error('unknown version');
    const ballotOffsets = new Map<string, number>();
    const deviceBallots = new Map<string, string>();
    let ended = false;
    let start = headerEnd + 1;
    while (start < bytes.length) {
      const end = bytes.indexOf(LF, start);
      if (end < 0) throw new Error('unterminated line');
      const kind = bytes[start];
      if (kind === B && bytes[start + 1] === TAB) {
        const tab = bytes.indexOf(TAB, start + 2);
        ballotOffsets.set(bytes.toString('latin1', start + 2, tab), Number(bytes.toString('latin1', tab + 1, end)));
      } else if (kind === D && bytes[start + 1] === TAB) {
        const tab1 = bytes.indexOf(TAB, start + 2);
        const tab2 = bytes.indexOf(TAB, tab1 + 1);
        const campaignId = header.campaigns[Number(bytes.toString('latin1', start + 2, tab1))];
        if (campaignId === undefined) throw new Error('unknown campaign index');
        deviceBallots.set(
          deviceKey(campaignId, bytes.toString('latin1', tab1 + 1, tab2)),
          bytes.toString('latin1', tab2 + 1, end),
        );
      } else {
        const fields = bytes.toString('latin1', start, end).split('\t');
        if (fields[0] !== 'END') throw new Error('unknown line');
        if (Number(fields[1]) !== ballotOffsets.size || Number(fields[2]) !== deviceBallots.size)
          throw new Error('counts differ');
        ended = true;
      }
      start = end + 1;
    }
    if (!ended) throw new Error('no END line');
    return {
      logOffset: header.logOffset,
      tallies: new Map(Object.entries(header.tallies)),
      ballotOffsets,
      deviceBallots,
    };
  } catch (error) {
    warn(`快照文件无法使用（${(error as Error).message}），将从头重放投票日志。`);
    return null;
  }
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Bytes gathered before each write; small enough that filling it never holds up a request for long. */
const CHUNK_BYTES = 128 * 1024;
/** Room for one line past the chunk size: two identifiers (≤ 64 bytes each here) and two numbers. */
const LINE_SLACK = 4 * 1024;
const ZERO = 0x30;

/**
 * Index lines are written byte by byte into one reused buffer: building two million line strings
 * made enough garbage for 10 ms collector pauses while the portal was answering tally reads.
 * Identifiers are ASCII (ids, base64url hashes, campaign slugs), read back as latin1.
 */
class LineBuffer {
  readonly bytes = Buffer.allocUnsafe(CHUNK_BYTES + LINE_SLACK);
  length = 0;

  get full(): boolean {
    return this.length >= CHUNK_BYTES;
  }

  byte(value: number): void {
    this.bytes[this.length++] = value;
  }

  text(value: string): void {
    this.length += this.bytes.write(value, this.length, 'latin1');
  }

  /** The part of `value` after its first `skip` characters, without making a substring. */
  textFrom(value: string, skip: number): void {
    const written = this.bytes.write(value, this.length, 'latin1');
    this.bytes.copyWithin(this.length, this.length + skip, this.length + written);
    this.length += written - skip;
  }

  number(value: number): void {
    let digits = 1;
    for (let rest = Math.floor(value / 10); rest > 0; rest = Math.floor(rest / 10)) digits += 1;
    let rest = value;
    for (let index = this.length + digits - 1; index >= this.length; index -= 1) {
      this.bytes[index] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.length += digits;
  }
}

/**
 * Writes a snapshot. Tallies and offset are captured synchronously by the caller; the indexes may
 * grow while this runs, which is harmless: replaying the tail re-adds the same entries.
 */
export async function writeSnapshot(
  dataDir: string,
  captured: { logOffset: number; talliesJson: string; campaigns: string[] },
  ballotOffsets: ReadonlyMap<string, number>,
  deviceBallots: ReadonlyMap<string, string>,
): Promise<void> {
  const path = join(dataDir, SNAPSHOT_FILE);
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    const campaignIndex = new Map(captured.campaigns.map((id, index) => [id, index]));
    await file.write(
      `{"version":${VERSION},"logOffset":${captured.logOffset},"campaigns":${JSON.stringify(captured.campaigns)},"tallies":${captured.talliesJson}}\n`,
    );
    const lines = new LineBuffer();
    let ballotLines = 0;
    let deviceLines = 0;
    const flush = async () => {
      if (lines.length === 0) return;
      let written = 0;
      while (written < lines.length)
        written += (await file.write(lines.bytes, written, lines.length - written)).bytesWritten;
      lines.length = 0;
      await nextTick();
    };
    for (const [ballotId, offset] of ballotOffsets) {
      lines.byte(B);
      lines.byte(TAB);
      lines.text(ballotId);
      lines.byte(TAB);
      lines.number(offset);
      lines.byte(LF);
      ballotLines += 1;
      if (lines.full) await flush();
    }
    let campaign = { prefix: '', index: undefined as number | undefined };
    for (const [key, ballotId] of deviceBallots) {
      const tab = key.indexOf('\t');
      // Keys of one campaign share their prefix: look the campaign up only when it changes.
      if (tab !== campaign.prefix.length || !key.startsWith(campaign.prefix)) {
        const prefix = key.slice(0, tab);
        campaign = { prefix, index: campaignIndex.get(prefix) };
      }
      const index = campaign.index;
      // A campaign missing from the captured tallies got its first ballot after the captured
      // offset: replaying the tail restores its devices.
      if (index === undefined) continue;
      lines.byte(D);
      lines.byte(TAB);
      lines.number(index);
      lines.byte(TAB);
      lines.textFrom(key, tab + 1);
      lines.byte(TAB);
      lines.text(ballotId);
      lines.byte(LF);
      deviceLines += 1;
      if (lines.full) await flush();
    }
    await flush();
    await file.write(`END\t${ballotLines}\t${deviceLines}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  renameSync(temporary, path);
  const directory = openSync(dirname(path), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}
