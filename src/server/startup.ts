/**
 * Runs when the built server process starts, before it listens (wired in by the
 * `open-store-at-start` integration in astro.config.mjs): opens the store, so that a second server
 * on the same DATA_DIR, a damaged ballot log, or an unreachable DATABASE_URL (whose schema migrations
 * run here) stops the process with a clear message instead of failing requests later; prints
 * configuration warnings; closes the store cleanly on SIGTERM/SIGINT.
 */
import { serverConfig } from './config';
import { FileStore } from './store/file-store';
import { openProcessStore } from './store/instance';
import { ensureFirstAdmin } from './admin/first-admin';

try {
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
    console.log(`[store] PostgreSQL（结构版本 ${start.schemaVersion}${migrated}）：${start.ballots} 张选票，用时 ${start.milliseconds} ms`);
  }
  if (config.RATE_LIMITS === 'off') {
    console.warn('[voting] 警告：RATE_LIMITS=off，投票频率限制已关闭。只应在基准测试中这样做。');
  }
  const shutDown = (signal: NodeJS.Signals) => {
    store
      .close()
      .catch((error: unknown) => console.error('[store] 关闭时出错', error))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 0));
  };
  process.once('SIGTERM', shutDown);
  process.once('SIGINT', shutDown);
} catch (error) {
  console.error(`[store] 无法启动：${(error as Error).message}`);
  process.exit(1);
}
