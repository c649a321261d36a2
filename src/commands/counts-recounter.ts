import { mergeCountMoves, type CountMove } from '../domain/count-moves.js';
import { cellKey, countDifferences, movesOfPurgedCells, movesOfStatement, type CountDifference } from '../domain/recount.js';
import { appendAudit } from '../storage/audit.repository.js';
import type { Database } from '../storage/database.js';
import { lockCountsForRepair, replaceCounts, storedCounts, storedStatements } from '../storage/recount.repository.js';
import { purgedCounts } from '../storage/retention.repository.js';
import type { Schema } from '../storage/schema.js';
import type { Kysely, Transaction } from 'kysely';

export interface RecountResult {
  statements: number;
  differences: CountDifference[];
  repaired: boolean;
}

async function recountWith(db: Kysely<Schema> | Transaction<Schema>, onProgress: (statements: number) => void) {
  // Added up cell by cell as we go, so memory holds cells, not every move of a million statements.
  const cells = new Map<string, CountMove>();
  let statements = 0;
  for await (const page of storedStatements(db)) {
    for (const statement of page) {
      for (const move of movesOfStatement(statement)) {
        const key = cellKey(move);
        const cell = cells.get(key);
        if (cell) cell.delta += move.delta;
        else cells.set(key, { ...move });
      }
    }
    statements += page.length;
    onProgress(statements);
  }
  // Statements deleted by retention: their tally stands in for them (see movesOfPurgedCells).
  const purged = movesOfPurgedCells(await purgedCounts(db));
  const moves = mergeCountMoves([...cells.values(), ...purged]);
  return { statements, moves, differences: countDifferences(moves, await storedCounts(db)) };
}

/**
 * Recomputes every rollup cell from the base tables and compares it with the stored counts.
 * With `repair`, rewrites the counts to the recount in one transaction, writers kept out, and
 * records the repair in the audit log (only when something differed).
 */
export async function recountCounts(
  database: Database,
  options: { repair: boolean; actor: string; onProgress?: (statements: number) => void },
): Promise<RecountResult> {
  const onProgress = options.onProgress ?? (() => {});
  if (!options.repair) {
    const { statements, differences } = await recountWith(database.db, onProgress);
    return { statements, differences, repaired: false };
  }
  return database.db.transaction().execute(async (trx) => {
    await lockCountsForRepair(trx, database.dialect);
    const { statements, moves, differences } = await recountWith(trx, onProgress);
    if (differences.length === 0) return { statements, differences, repaired: false };
    await replaceCounts(trx, moves.map((m) => ({ day: m.day, metric: m.metric, dimension: m.dimension, value: m.value, n: m.delta })));
    await appendAudit(trx, { actor: options.actor, action: 'counts.repair', details: { cells: differences.length, statements } });
    return { statements, differences, repaired: true };
  });
}
