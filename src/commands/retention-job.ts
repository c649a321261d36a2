import type { RetentionPolicy } from '../domain/retention.js';
import type { Database } from '../storage/database.js';
import { purgeExpired, type RetentionReport } from './retention-purger.js';

/** When the job inside `serve` runs. */
export interface RetentionSchedule {
  /** Delay before the first run after start (default one minute: start-up is left alone). */
  firstRunMs?: number;
  /** Between runs (default one hour). */
  intervalMs?: number;
}

/** A running retention job; `stop()` cancels the timer and waits for a run in progress. */
export interface RetentionJob {
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/**
 * Runs the retention purge periodically inside the server process, as actor `system`. Timers are
 * unreferenced (they never keep the process alive), runs never overlap, and a failed run is
 * reported and retried at the next tick.
 */
export function startRetentionJob(
  database: Database,
  policy: RetentionPolicy,
  report: { done(r: RetentionReport): void; failed(error: unknown): void },
  schedule: RetentionSchedule = {},
): RetentionJob {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = purgeExpired(database, policy, { actor: 'system' })
      .then((r) => report.done(r), (error) => report.failed(error))
      .finally(() => (running = undefined));
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    run();
    interval = setInterval(run, schedule.intervalMs ?? HOUR_MS);
    interval.unref();
  }, schedule.firstRunMs ?? 60_000);
  first.unref();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(interval);
      await running;
    },
  };
}
