import { tallyDifferences, type TallyDifference, type TallyFigures } from '../../domain/log-tally.js';
import type { Database } from '../../storage/database.js';
import { readLatestCheckpoint } from '../../storage/log/transparency-log.repository.js';
import { readPublicationHead } from '../../storage/publication/publication-log.repository.js';
import { storedCounts } from '../../storage/recount.repository.js';

/** The latest checkpoint's tally against the rollups (`rcenter recount`). */
export interface LogTallyCheck {
  /** The latest checkpoint's size (0 before the first). */
  size: number;
  /** Events committed and not yet integrated: the tally is compared only when none are. */
  behind: number;
  differences: TallyDifference[];
}

/**
 * Compares the tally of the latest checkpoint (what /api/v1/stats says) with the rollups the
 * pages count from. Once the log holds every event they must agree; while it is behind, they are
 * not compared (the sequencer in `serve` catches up within a second).
 */
export async function checkLogTally(database: Database): Promise<LogTallyCheck> {
  const latest = await readLatestCheckpoint(database);
  const head = await readPublicationHead(database);
  const size = latest?.size ?? 0;
  if (!latest || head > size) return { size, behind: head - size, differences: [] };
  const cells = (await storedCounts(database.db)).map((c) => ({ ...c, n: Number(c.n) }));
  return { size, behind: 0, differences: tallyDifferences(JSON.parse(latest.tally) as TallyFigures, cells) };
}
