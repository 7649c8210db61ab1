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
import type { CampaignTally } from '../../lib/voting/tally';

export const SNAPSHOT_FILE = 'tally-snapshot.txt';
const VERSION = 1;
const LF = 0x0a;
const TAB = 0x09;
const B = 0x42;
const D = 0x44;
const LINES_PER_CHUNK = 20_000;

export interface SnapshotData {
  logOffset: number;
  tallies: Map<string, CampaignTally>;
  ballotOffsets: Map<string, number>;
  /** Key: `${campaignId}\t${deviceHash}`. */
  deviceBallots: Map<string, string>;
}

export function deviceKey(campaignId: string, deviceHash: string): string {
  return `${campaignId}\t${deviceHash}`;
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
        deviceBallots.set(`${campaignId}\t${bytes.toString('latin1', tab1 + 1, tab2)}`, bytes.toString('latin1', tab2 + 1, end));
      } else {
        const fields = bytes.toString('latin1', start, end).split('\t');
        if (fields[0] !== 'END') throw new Error('unknown line');
        if (Number(fields[1]) !== ballotOffsets.size || Number(fields[2]) !== deviceBallots.size) throw new Error('counts differ');
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
    let chunk: string[] = [];
    let ballotLines = 0;
    let deviceLines = 0;
    const flushChunk = async () => {
      if (chunk.length === 0) return;
      await file.write(chunk.join(''));
      chunk = [];
      await nextTick();
    };
    for (const [ballotId, offset] of ballotOffsets) {
      chunk.push(`B\t${ballotId}\t${offset}\n`);
      ballotLines += 1;
      if (chunk.length >= LINES_PER_CHUNK) await flushChunk();
    }
    for (const [key, ballotId] of deviceBallots) {
      const tab = key.indexOf('\t');
      const campaignId = key.slice(0, tab);
      const index = campaignIndex.get(campaignId);
      // A campaign missing from the captured tallies got its first ballot after the captured
      // offset: replaying the tail restores its devices.
      if (index === undefined) continue;
      chunk.push(`D\t${index}\t${key.slice(tab + 1)}\t${ballotId}\n`);
      deviceLines += 1;
      if (chunk.length >= LINES_PER_CHUNK) await flushChunk();
    }
    await flushChunk();
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
