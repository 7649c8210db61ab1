/**
 * Runs when the built server process starts, before it listens (wired in by the
 * `open-store-at-start` integration in astro.config.mjs): opens the store, so that a second server
 * on the same DATA_DIR, or a damaged ballot log, stops the process with a clear message instead of
 * failing requests later; prints configuration warnings; closes the store cleanly on SIGTERM/SIGINT.
 */
import { serverConfig } from './config';
import { openProcessStore } from './store/instance';
import { ensureFirstAdmin } from './admin/first-admin';

try {
  const config = serverConfig();
  const store = await openProcessStore();
  await ensureFirstAdmin(store);
  const { recovery } = store;
  console.log(
    `[store] ${config.DATA_DIR}: ${recovery.ballots} 张选票，` +
      `${recovery.fromSnapshot ? '从快照' : '无快照'}重放 ${recovery.replayedBallots} 条，用时 ${recovery.milliseconds} ms`,
  );
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
