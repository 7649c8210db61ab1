/**
 * `npm run backup -- DIR`: a consistent, verified copy of the file store in DATA_DIR into the new or
 * empty folder DIR, safe while the server runs (see src/server/store/file/backup.ts). With
 * DATABASE_URL use pg_dump instead (README, “备份与恢复”).
 */
import { resolve } from 'node:path';
import { now } from '../src/server/clock';
import { serverConfig } from '../src/server/config';
import { backupFileStore, BackupError } from '../src/server/store/file/backup';
import { StoreFileDamagedError } from '../src/server/store/file/documents';

const target = process.argv[2];
if (!target || process.argv.length > 3) {
  console.error('用法：npm run backup -- 备份目录（新目录或空目录）');
  process.exit(1);
}
const config = serverConfig();
if (config.DATABASE_URL) {
  console.error('已设置 DATABASE_URL：数据在 PostgreSQL 中，请用 pg_dump 备份（见 README）。');
  process.exit(1);
}
try {
  const manifest = await backupFileStore(resolve(config.DATA_DIR), resolve(target), now());
  console.log(
    `已备份并核对 ${config.DATA_DIR} → ${resolve(target)}：${manifest.ballots} 张选票，${manifest.staffAccounts} 个账号，${manifest.publications} 条发布内容，${manifest.attachments} 个附件，${manifest.files.length} 个文件。`,
  );
} catch (error) {
  if (error instanceof BackupError || error instanceof StoreFileDamagedError) {
    console.error(`备份失败：${error.message}`);
    process.exit(1);
  }
  throw error;
}
