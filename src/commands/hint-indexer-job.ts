import type { Database } from '../storage/database.js';
import { INDEX_BATCH, indexBatch } from './hint-indexer.js';
import { oneAtATime } from './one-at-a-time.js';
import { TextBandThread } from './text-band-thread.js';

/** How the indexer inside `serve` paces itself. */
export interface HintIndexerSchedule {
  /** Between looks for new submissions while there is nothing to index (default one second). */
  idleMs?: number;
  /**
   * Between two batches while a backlog is worked off (default 10 ms): the write lock is free
   * then, and the intake writer thread and requests that write take their turn.
   */
  pauseMs?: number;
  /** Submissions per batch, and so per transaction (default INDEX_BATCH). */
  batch?: number;
}

/** The running indexer. */
export interface HintIndexerJob {
  /** Indexes everything pending now (after the batch in progress, never beside it); resolves with how many. */
  drain(): Promise<number>;
  /** Cancels the timer, waits for the batch in progress, stops the thread. */
  stop(): Promise<void>;
}

/**
 * Indexes new and edited submissions for duplicate hints in the background, inside the server
 * process, so that a queue view only reads (review-queue.ts). Batches never overlap; timers are
 * unreferenced (they never keep the process alive); a failed batch is reported and tried again
 * after the idle delay.
 */
export function startHintIndexer(database: Database, report: { failed(error: unknown): void }, schedule: HintIndexerSchedule = {}): HintIndexerJob {
  const thread = new TextBandThread();
  const batch = schedule.batch ?? INDEX_BATCH;
  let timer: NodeJS.Timeout | undefined;
  const batches = oneAtATime();
  let stopped = false;
  const later = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  // One batch at a time: the timer's and drain()'s alike.
  const serially = batches.run;
  function tick() {
    timer = undefined;
    void serially(() => indexBatch(database, thread, batch)).then(
      (r) => later(r.read === batch && r.indexed > 0 ? (schedule.pauseMs ?? 10) : (schedule.idleMs ?? 1_000)),
      (error) => {
        report.failed(error);
        later(schedule.idleMs ?? 1_000);
      },
    );
  }
  later(0);
  return {
    drain: () =>
      serially(async () => {
        let total = 0;
        for (let r = await indexBatch(database, thread, batch); r.indexed > 0; r = await indexBatch(database, thread, batch)) total += r.indexed;
        return total;
      }),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await batches.idle();
      await thread.close();
    },
  };
}
