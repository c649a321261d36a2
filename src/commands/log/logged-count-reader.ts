import { emptyTally } from '../../domain/log-entry.js';
import { loggedCount, tallyFigures, type LoggedCount, type TallyFigures } from '../../domain/log-tally.js';
import type { Database } from '../../storage/database.js';
import type { LatestCheckpoint } from '../../storage/log/transparency-log.repository.js';
import { lastPublicationChange } from '../../storage/publication/published-reading.repository.js';
import { emptyTreeHash } from '../../tlog/index.js';

/**
 * The public counter bound to the log (docs/log.md, "The count in /api/v1/stats"): every figure
 * is the tally of the first `log.size` entries of the latest checkpoint; before the first
 * checkpoint, the empty log's. `lastUpdate` is the time of the last publication or retraction.
 */
export async function readLoggedCount(database: Database, origin: string, latest: LatestCheckpoint | undefined, now = new Date()): Promise<LoggedCount> {
  const figures: TallyFigures = latest ? (JSON.parse(latest.tally) as TallyFigures) : tallyFigures(emptyTally());
  const rootHash = Buffer.from(latest?.rootHash ?? emptyTreeHash()).toString('base64');
  return loggedCount(now, figures, { origin, size: latest?.size ?? 0, rootHash }, await lastPublicationChange(database.db));
}
