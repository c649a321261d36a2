import type { Config } from '../config.js';
import type { Database } from '../storage/database.js';
import { readLatestCheckpoint, readStoredHashes } from '../storage/log/transparency-log.repository.js';
import { oneAtATime } from './one-at-a-time.js';
import { collectCosignatures, type WitnessOutcome } from './witness-collector.js';

export interface WitnessJobSchedule {
  /** Between looks at the latest checkpoint (default 1 s). */
  pollMs?: number;
  /** Before a witness that did not cosign the latest checkpoint is asked again (default 30 s). */
  retryMs?: number;
}

export interface WitnessJob {
  /** Asks the witnesses about the latest checkpoint now (after any round in progress); resolves with what they did. */
  drain(): Promise<WitnessOutcome[]>;
  stop(): Promise<void>;
}

/**
 * Inside `serve` when WITNESSES is set: each new checkpoint goes to every witness (witness-collector.ts),
 * a round at a time; a witness that did not cosign the latest one is asked again every `retryMs`.
 * Outcomes are reported (never a client address: there is none), "ahead of the log" loudly.
 */
export function startWitnessJob(
  database: Database,
  witnesses: Config['witnesses'],
  report: { outcome(outcome: WitnessOutcome): void; failed(error: unknown): void },
  schedule: WitnessJobSchedule = {},
): WitnessJob {
  const pollMs = schedule.pollMs ?? 1_000;
  const retryMs = schedule.retryMs ?? 30_000;
  const rounds = oneAtATime();
  const hashes = { readHashes: (indexes: readonly number[]) => readStoredHashes(database.db, indexes) };
  let asked: { size: number; at: number; complete: boolean } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const round = (force: boolean) =>
    rounds.run(async () => {
      const latest = await readLatestCheckpoint(database);
      if (!latest) return [];
      const now = Date.now();
      const fresh = asked === undefined || asked.size !== latest.size;
      if (!force && !fresh && (asked!.complete || now - asked!.at < retryMs)) return [];
      const outcomes = await collectCosignatures({ database, witnesses, hashes }, latest);
      asked = { size: latest.size, at: now, complete: outcomes.every((o) => o.outcome === 'cosigned' || o.outcome === 'already cosigned') };
      for (const outcome of outcomes) report.outcome(outcome);
      return outcomes;
    });
  const tick = () => {
    timer = undefined;
    void round(false).then(
      () => later(),
      (error) => {
        report.failed(error);
        later();
      },
    );
  };
  const later = () => {
    if (stopped) return;
    timer = setTimeout(tick, pollMs);
    timer.unref();
  };
  later();
  return {
    drain: () => round(true),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await rounds.idle();
    },
  };
}
