/**
 * Opens the store when the built server starts, before it listens (called by the server entry,
 * `src/server/entry/serve.ts`): a second server on the same DATA_DIR, a damaged ballot log, or an
 * unreachable DATABASE_URL (whose schema migrations run here) stops the start with a clear message
 * instead of failing requests later. Also prints configuration warnings.
 */
import { serverConfig } from './config';
import { FileStore } from './store/file-store';
import { openProcessStore, type PortalStore } from './store/instance';
import { ensureFirstAdmin } from './admin/first-admin';

/** The opened store; throws (with the store's own message) when it refuses to open. */
export async function openStoreAtStart(): Promise<PortalStore> {
  const config = serverConfig();
  const store = await openProcessStore();
  await ensureFirstAdmin(store);
  if (store instanceof FileStore) {
    const { recovery } = store;
    console.log(
      `[store] ${config.DATA_DIR}: ${recovery.ballots} 张选票，` +
        `${recovery.fromSnapshot ? '从快照' : '无快照'}重放 ${recovery.replayedBallots} 条，用时 ${recovery.milliseconds} ms`,
    );
  } else {
    const { start } = store;
    const migrated = start.appliedMigrations.length > 0 ? `，本次迁移 ${start.appliedMigrations.join('、')}` : '';
    console.log(
      `[store] PostgreSQL（结构版本 ${start.schemaVersion}${migrated}）：${start.ballots} 张选票，用时 ${start.milliseconds} ms`,
    );
  }
  if (config.RATE_LIMITS === 'off') {
    console.warn('[voting] 警告：RATE_LIMITS=off，投票频率限制已关闭。只应在基准测试中这样做。');
  }
  return store;
}
