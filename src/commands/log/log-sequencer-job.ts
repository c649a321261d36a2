import type { Database } from '../../storage/database.js';
import { oneAtATime } from '../one-at-a-time.js';
import { readPublicationHead } from '../../storage/publication/publication-log.repository.js';
import { publicationHeadOf } from '../publication/publication-head.js';
import type { LogIdentity } from './log-identity.js';
import { integrateBatch, LOG_BATCH, resignLatestCheckpoint } from './log-sequencer.js';

/** How the sequencer inside `serve` paces itself. */
export interface LogSequencerSchedule {
  /** Between looks at the publication log's head for events of other processes (default 500 ms). */
  pollMs?: number;
  /** Between two batches while a backlog is worked off (default 5 ms): others take the write lock. */
  pauseMs?: number;
  /** Events per batch (default LOG_BATCH). */
  batch?: number;
}

/** The log sequencer of one app. */
export interface LogSequencer {
  /** Starts integrating in the background: at once, on every publication in this process, and every `pollMs`. */
  start(): void;
  /** Integrates everything committed now (after the batch in progress, never beside it); resolves with how many entries. */
  drain(): Promise<number>;
  /** Cancels the timer and waits for the batch in progress. */
  stop(): Promise<void>;
}

/**
 * Keeps the transparency log up with the publication log (log-sequencer.ts), so a checkpoint of
 * every change is signed within a second: a publication in this process wakes it at once (the
 * PublicationHead's announcement after the commit), one in another process is seen at the next
 * poll. Batches never overlap within a process; across processes the batch's conditional state
 * update lets one win. Timers are unreferenced; a failed batch is reported and tried again at the
 * next poll.
 */
export function createLogSequencer(
  database: Database,
  log: LogIdentity,
  report: { failed(error: unknown): void },
  schedule: LogSequencerSchedule = {},
): LogSequencer {
  const batch = schedule.batch ?? LOG_BATCH;
  const pollMs = schedule.pollMs ?? 500;
  let timer: NodeJS.Timeout | undefined;
  const batches = oneAtATime();
  let ticking = false;
  let wokenWhileTicking = false;
  let started = false;
  let stopped = false;
  let unsubscribe = () => {};
  const later = (ms: number) => {
    if (stopped || !started) return;
    if (ticking) {
      wokenWhileTicking = ms === 0 || wokenWhileTicking;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  // Once per sequencer, before its first batch: the latest checkpoint signed by this key.
  let resigned = false;
  const serially = <T>(work: () => Promise<T>): Promise<T> =>
    batches.run(async () => {
      if (!resigned) {
        await resignLatestCheckpoint(database, log);
        resigned = true;
      }
      return work();
    });
  // The size this sequencer last saw the log at (-1: not yet). While the publication log's head
  // is no further, a look costs one head read (on SQLite, on the read-only connection) and nothing
  // on the connection that writes.
  let seen = -1;
  const batchIfBehind = async () => {
    if (seen >= 0 && (await readPublicationHead(database)) <= seen) return { integrated: 0, size: seen, lost: false, writeMs: 0 };
    const r = await integrateBatch(database, log, batch);
    seen = r.size;
    return r;
  };
  function tick() {
    timer = undefined;
    ticking = true;
    void serially(batchIfBehind).then(
      (r) => {
        ticking = false;
        const again = r.integrated === batch || r.lost || wokenWhileTicking;
        wokenWhileTicking = false;
        later(again ? (schedule.pauseMs ?? 5) : pollMs);
      },
      (error) => {
        ticking = false;
        wokenWhileTicking = false;
        report.failed(error);
        later(pollMs);
      },
    );
  }
  return {
    start() {
      if (started || stopped) return;
      started = true;
      // Woken after every commit of this process that may have appended events; a wake while a
      // batch runs is answered by another batch right after it.
      unsubscribe = publicationHeadOf(database).onMove(() => later(0));
      later(0);
    },
    drain: () =>
      serially(async () => {
        let total = 0;
        for (;;) {
          const r = await integrateBatch(database, log, batch);
          seen = r.size;
          total += r.integrated;
          if (r.integrated === 0 && !r.lost) return total;
        }
      }),
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      await batches.idle();
    },
  };
}
