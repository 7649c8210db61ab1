/**
 * 定时发布: publishes approved drafts whose time has come, on a timer the server entry starts. Safe
 * with several processes on one PostgreSQL store: the service's compare-and-set save lets only one
 * of them publish a draft (see PublishingService.publishDue).
 */
import type { PublishingService } from './service';

/** How often due drafts are looked for: a scheduled item is live well within a minute of its time. */
export const SCHEDULER_INTERVAL_MS = 15_000;

export interface RunningScheduler {
  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void>;
}

export function startPublishingScheduler(
  service: () => Promise<PublishingService>,
  intervalMs: number = SCHEDULER_INTERVAL_MS,
): RunningScheduler {
  let round: Promise<void> | null = null;
  const tick = () => {
    // A slow round (a store that hangs) is never overlapped by the next one.
    if (round) return;
    round = service()
      .then((publishing) => publishing.publishDue())
      .then(({ published, failed }) => {
        for (const item of published) console.log(`[publishing] 定时发布：${item.kind}/${item.slug}`);
        if (failed > 0) console.error(`[publishing] ${failed} 条到期内容发布失败，下一轮重试`);
      })
      .catch((error: unknown) => console.error(`[publishing] 定时发布检查失败：${(error as Error).message}`))
      .finally(() => {
        round = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await round;
    },
  };
}
