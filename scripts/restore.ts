/**
 * `npm run restore -- DIR`: checks the backup in DIR and writes it into DATA_DIR, which must be
 * empty or not exist (a non-empty folder is refused, never overwritten). Then start the server on
 * DATA_DIR as usual. With DATABASE_URL use pg_restore instead (README, “备份与恢复”).
 */
import { resolve } from 'node:path';
import { serverConfig } from '../src/server/config';
import { BackupError, restoreFileStore } from '../src/server/store/file/backup';
import { StoreFileDamagedError } from '../src/server/store/file/documents';

const source = process.argv[2];
if (!source || process.argv.length > 3) {
  console.error('用法：npm run restore -- 备份目录（恢复到 DATA_DIR，须为空目录）');
  process.exit(1);
}
const config = serverConfig();
if (config.DATABASE_URL) {
  console.error('已设置 DATABASE_URL：数据在 PostgreSQL 中，请用 pg_restore 恢复（见 README）。');
  process.exit(1);
}
try {
  const manifest = restoreFileStore(resolve(source), resolve(config.DATA_DIR));
  console.log(
    `已从 ${resolve(source)}（${manifest.createdAt}）恢复到 ${resolve(config.DATA_DIR)}：${manifest.ballots} 张选票，${manifest.staffAccounts} 个账号，${manifest.publications ?? 0} 条发布内容，${manifest.attachments ?? 0} 个附件。`,
  );
} catch (error) {
  if (error instanceof BackupError || error instanceof StoreFileDamagedError) {
    console.error(`恢复失败：${error.message}`);
    process.exit(1);
  }
  throw error;
}
