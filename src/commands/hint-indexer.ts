import { nameKey } from '../domain/name-key.js';
import type { Database } from '../storage/database.js';
import { unindexedSubmissions, writeHintIndex } from '../storage/review.repository.js';
import { TextBandThread } from './text-band-thread.js';

/**
 * Most submissions indexed in one transaction. Each costs at most 8 band rows, its declarants'
 * name keys (20 at most) and one update, so a transaction writes a few hundred small rows at most
 * and holds the write lock for a few milliseconds, well under 50 ms; the texts are read and their
 * bands computed (on another thread) before it begins.
 */
export const INDEX_BATCH = 10;

/** What one batch did: how many unindexed submissions it read, and how many it indexed. */
export interface BatchResult {
  read: number;
  indexed: number;
}

/**
 * Indexes the oldest unindexed submissions for duplicate hints, at most `batch` of them: reads
 * their texts, has `thread` compute their bands, then stores bands, name keys and `text_indexed`
 * in one short transaction (writeHintIndex skips any whose text changed meanwhile).
 */
export async function indexBatch(database: Database, thread: TextBandThread, batch = INDEX_BATCH): Promise<BatchResult> {
  const rows = await unindexedSubmissions(database.db, batch);
  if (rows.length === 0) return { read: 0, indexed: 0 };
  const bands = await thread.bandsOf(rows.map((r) => r.text));
  const computed = rows.map((row, i) => ({ ...row, bands: bands[i] ?? [] }));
  const indexed = await database.db.transaction().execute((trx) => writeHintIndex(trx, database.dialect, computed, nameKey));
  return { read: rows.length, indexed };
}

/**
 * The thread indexPending uses unless given one: started on first use (it takes a quarter of a
 * second) and kept, unreferenced while idle, so it never keeps a process alive.
 */
let sharedThread: TextBandThread | undefined;

/**
 * Indexes, batch after batch, until a batch finds nothing it can index; resolves with how many it
 * indexed. What the background indexer in `serve` does, awaited: for tests, benchmarks and the
 * command line. Submissions another indexer holds are left to it.
 */
export async function indexPending(database: Database, options: { batch?: number; thread?: TextBandThread } = {}): Promise<number> {
  const thread = options.thread ?? (sharedThread ??= new TextBandThread());
  let total = 0;
  for (;;) {
    const { indexed } = await indexBatch(database, thread, options.batch);
    total += indexed;
    if (indexed === 0) return total;
  }
}
