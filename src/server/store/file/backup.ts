/**
 * Backup and restore of the file store, safe while a server runs (it holds the writer lock; the
 * backup never takes it and never writes to DATA_DIR). A consistent copy comes from how the store
 * writes, not from pausing it:
 *
 * - ballots.jsonl is append-only: its bytes up to the last whole, checksummed record are a
 *   consistent point (a record being written after it is simply not in this backup).
 * - portal.json, the key files and each publication's file are replaced by atomic rename: one read
 *   sees one whole version.
 * - an attachment's bytes are written before its record (`<id>.json`): the attachments copied are
 *   those with a record, bytes and all (one being uploaded meanwhile is simply not in this backup).
 * - audit.jsonl[.n] and today's address-review file are append-only: copied up to their last LF.
 * - the tally snapshot is left out: it is only a shortcut, and the restored store replays the log.
 *
 * The copy is then verified without opening it for writing: the copied log must equal the source's
 * prefix byte for byte (by SHA-256) and replay without damage, portal.json and every publication
 * must pass their schemas, every attachment must match its record's size and SHA-256, every key
 * must decode. `backup-manifest.json` lists every file with its size and SHA-256, the
 * ballot count and the tallies; restore checks all of it again before writing a byte.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEVICE_SECRET_FILE, KEYS_DIR, readKeyFile, REVIEW_DIR } from '~/server/store/keys';
import { AUDIT_FILE } from './audit-log';
import { BALLOT_LOG_FILE, inspectBallotLog } from './ballot-log';
import { DOCUMENTS_FILE, parseDocuments } from './documents';
import { fsyncDirectory, FILE_MODE, FOLDER_MODE } from './durable';
import { ATTACHMENTS_FOLDER, attachmentIdsIn, parseStoredPublication, PUBLICATIONS_FOLDER } from './publications';
import type { AttachmentRef } from '~/lib/publishing/model';

export const MANIFEST_FILE = 'backup-manifest.json';

/** The folders a backup copies files into, each fsynced once its files are written. */
const COPIED_FOLDERS = [KEYS_DIR, REVIEW_DIR, PUBLICATIONS_FOLDER, ATTACHMENTS_FOLDER];

export interface BackupManifest {
  format: 1;
  createdAt: string;
  ballots: number;
  /** Ballots per campaign, as the restored store will count them. */
  campaignTotals: Record<string, number>;
  staffAccounts: number;
  /** Absent in backups made before publications were stored. */
  publications?: number;
  attachments?: number;
  files: { path: string; bytes: number; sha256: string }[];
}

export class BackupError extends Error {}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function readPrefix(path: string, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await file.read(buffer, read, length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await file.close();
  }
}

/** Up to and including the last LF: the whole lines of an append-only file. */
function wholeLines(bytes: Buffer): Buffer {
  return bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1);
}

function isEmptyFolder(path: string): boolean {
  return !existsSync(path) || readdirSync(path).length === 0;
}

function writeDurably(path: string, bytes: Buffer): void {
  mkdirSync(dirname(path), { recursive: true, mode: FOLDER_MODE });
  writeFileSync(path, bytes, { mode: FILE_MODE, flag: 'wx', flush: true });
}

/** The files of `dataDir` a backup holds, each with the bytes that make a consistent copy. */
async function consistentCopy(dataDir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const logPath = join(dataDir, BALLOT_LOG_FILE);
  if (existsSync(logPath)) {
    const bytes = readFileSync(logPath);
    files.set(BALLOT_LOG_FILE, bytes.subarray(0, inspectBallotLog(bytes).validLength));
  }
  for (const name of [DOCUMENTS_FILE, DEVICE_SECRET_FILE]) {
    if (existsSync(join(dataDir, name))) files.set(name, readFileSync(join(dataDir, name)));
  }
  const publications = join(dataDir, PUBLICATIONS_FOLDER);
  if (existsSync(publications)) {
    for (const name of readdirSync(publications).filter((candidate) => candidate.endsWith('.json'))) {
      files.set(`${PUBLICATIONS_FOLDER}/${name}`, readFileSync(join(publications, name)));
    }
  }
  const attachments = join(dataDir, ATTACHMENTS_FOLDER);
  if (existsSync(attachments)) {
    for (const id of attachmentIdsIn(readdirSync(attachments))) {
      files.set(`${ATTACHMENTS_FOLDER}/${id}.json`, readFileSync(join(attachments, `${id}.json`)));
      files.set(`${ATTACHMENTS_FOLDER}/${id}`, readFileSync(join(attachments, id)));
    }
  }
  for (const folder of [KEYS_DIR, REVIEW_DIR]) {
    if (!existsSync(join(dataDir, folder))) continue;
    for (const name of readdirSync(join(dataDir, folder))) {
      const bytes = readFileSync(join(dataDir, folder, name));
      files.set(`${folder}/${name}`, folder === REVIEW_DIR ? wholeLines(bytes) : bytes);
    }
  }
  // Oldest rotated file first, so that a rotation during the copy can only repeat lines, not lose them.
  const auditFiles = readdirSync(dataDir)
    .filter((name) => name === AUDIT_FILE || name.startsWith(`${AUDIT_FILE}.`))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  for (const name of auditFiles) files.set(name, wholeLines(readFileSync(join(dataDir, name))));
  return files;
}

/** Every publication parses and every attachment is the bytes its record describes; returns their counts. */
function checkPublishedContent(
  files: Map<string, Buffer>,
  root: string,
): { publications: number; attachments: number } {
  let publications = 0;
  const attachmentNames: string[] = [];
  for (const [path, bytes] of files) {
    if (path.startsWith(`${PUBLICATIONS_FOLDER}/`)) {
      parseStoredPublication(join(root, path), bytes.toString('utf8'));
      publications += 1;
    } else if (path.startsWith(`${ATTACHMENTS_FOLDER}/`)) {
      attachmentNames.push(path.slice(ATTACHMENTS_FOLDER.length + 1));
    }
  }
  const ids = attachmentIdsIn(attachmentNames);
  for (const id of ids) {
    const ref = JSON.parse((files.get(`${ATTACHMENTS_FOLDER}/${id}.json`) as Buffer).toString('utf8')) as AttachmentRef;
    const content = files.get(`${ATTACHMENTS_FOLDER}/${id}`);
    if (!content || content.length !== ref.bytes || sha256(content) !== ref.sha256) {
      throw new BackupError(
        `备份中的附件 ${join(root, ATTACHMENTS_FOLDER, id)} 与其记录不符（缺失，或大小、校验和不同）。`,
      );
    }
  }
  return { publications, attachments: ids.length };
}

/** Checks the files of a backup (or of one being made) and describes them. */
function describe(files: Map<string, Buffer>, root: string, createdAt: string): BackupManifest {
  const log = files.get(BALLOT_LOG_FILE) ?? Buffer.alloc(0);
  const replay = inspectBallotLog(log);
  if (replay.damageAt !== null) throw new BackupError(`备份中的投票日志在第 ${replay.damageAt} 字节处损坏。`);
  const documents = files.get(DOCUMENTS_FILE);
  const staffAccounts = documents
    ? parseDocuments(join(root, DOCUMENTS_FILE), documents.toString('utf8')).staff.length
    : 0;
  for (const [path] of files) {
    if (path === DEVICE_SECRET_FILE || path.startsWith(`${KEYS_DIR}/`)) readKeyFile(join(root, path));
  }
  return {
    format: 1,
    createdAt,
    ballots: replay.ballots,
    campaignTotals: Object.fromEntries([...replay.tallies].map(([campaignId, tally]) => [campaignId, tally.total])),
    staffAccounts,
    ...checkPublishedContent(files, root),
    files: [...files].map(([path, bytes]) => ({ path, bytes: bytes.length, sha256: sha256(bytes) })),
  };
}

/** Copies the file store in `dataDir` (a server may be running on it) into the new folder `backupDir`. */
export async function backupFileStore(dataDir: string, backupDir: string, now: Date): Promise<BackupManifest> {
  if (!existsSync(join(dataDir, BALLOT_LOG_FILE)) && !existsSync(join(dataDir, DOCUMENTS_FILE))) {
    throw new BackupError(`${dataDir} 里没有门户的数据（缺少 ${BALLOT_LOG_FILE} 与 ${DOCUMENTS_FILE}）。`);
  }
  if (!isEmptyFolder(backupDir))
    throw new BackupError(`备份目录 ${backupDir} 不是空的：为免混入旧文件，请指定一个新目录。`);
  const files = await consistentCopy(dataDir);
  mkdirSync(backupDir, { recursive: true, mode: FOLDER_MODE });
  for (const [path, bytes] of files) writeDurably(join(backupDir, path), bytes);
  const manifest = verifyBackup(backupDir, describe(files, backupDir, now.toISOString()));
  // The log is append-only, so the source must still begin with exactly the bytes copied.
  const copiedLog = files.get(BALLOT_LOG_FILE);
  if (copiedLog && sha256(await readPrefix(join(dataDir, BALLOT_LOG_FILE), copiedLog.length)) !== sha256(copiedLog)) {
    throw new BackupError('复制期间投票日志的已有内容发生了变化：这不应发生，请检查数据目录。');
  }
  writeDurably(join(backupDir, MANIFEST_FILE), Buffer.from(JSON.stringify(manifest, null, 2)));
  for (const folder of COPIED_FOLDERS) if (existsSync(join(backupDir, folder))) fsyncDirectory(join(backupDir, folder));
  fsyncDirectory(backupDir);
  return manifest;
}

/** Reads the copy back from disk and checks it against `expected` (or the manifest stored with it). */
export function verifyBackup(backupDir: string, expected?: BackupManifest): BackupManifest {
  let manifest = expected;
  if (!manifest) {
    try {
      manifest = JSON.parse(readFileSync(join(backupDir, MANIFEST_FILE), 'utf8')) as BackupManifest;
    } catch (error) {
      throw new BackupError(`${backupDir} 不是完整的备份（${MANIFEST_FILE} 无法读取：${(error as Error).message}）。`);
    }
  }
  const files = new Map<string, Buffer>();
  for (const file of manifest.files) {
    const bytes = readFileSync(join(backupDir, file.path));
    if (bytes.length !== file.bytes || sha256(bytes) !== file.sha256)
      throw new BackupError(`备份文件 ${join(backupDir, file.path)} 与清单不符（大小或校验和不同）。`);
    files.set(file.path, bytes);
  }
  const found = describe(files, backupDir, manifest.createdAt);
  if (
    found.ballots !== manifest.ballots ||
    JSON.stringify(found.campaignTotals) !== JSON.stringify(manifest.campaignTotals)
  ) {
    throw new BackupError(`备份中的选票（${found.ballots} 张）与清单（${manifest.ballots} 张）不符。`);
  }
  if ((manifest.publications ?? 0) !== found.publications || (manifest.attachments ?? 0) !== found.attachments) {
    throw new BackupError(
      `备份中的发布内容（${found.publications} 条，附件 ${found.attachments} 个）与清单（${manifest.publications ?? 0} 条，附件 ${manifest.attachments ?? 0} 个）不符。`,
    );
  }
  return manifest;
}

/** Verifies `backupDir` and writes its files into `dataDir`, which must be empty (or not exist yet). */
export function restoreFileStore(backupDir: string, dataDir: string): BackupManifest {
  if (!isEmptyFolder(dataDir))
    throw new BackupError(`数据目录 ${dataDir} 不是空的：恢复只写入空目录，以免覆盖现有数据。`);
  const manifest = verifyBackup(backupDir);
  mkdirSync(dataDir, { recursive: true, mode: FOLDER_MODE });
  for (const file of manifest.files) writeDurably(join(dataDir, file.path), readFileSync(join(backupDir, file.path)));
  for (const folder of COPIED_FOLDERS) if (existsSync(join(dataDir, folder))) fsyncDirectory(join(dataDir, folder));
  fsyncDirectory(dataDir);
  return manifest;
}
