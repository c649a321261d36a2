import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Hash } from '../../tlog/index.js';
import type { Database } from '../database.js';
import type { PublicationEventTable, Schema } from '../schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

// The transparency log's tables (migration 2026-12-05-transparency-log): `log_hash`, the tree's
// stored hashes; `log_entry_bundle`, each full entry bundle as served; `log_checkpoint`, each
// signed checkpoint; `log_state`, the size integrated and the tally of those entries. Written only by `commitLogBatch`, one transaction per batch.

// 2 columns × 1,000 rows: far below SQLite's bound-parameter limit, and one statement per 1,000 hashes.
const HASHES_PER_INSERT = 1000;
// `in (…)` lists of stored-hash indexes: a tile is 256, a batch's frontier about 20.
const INDEXES_PER_READ = 500;

/** What the log has integrated: its size and the JSON tally of those entries. */
export async function readLogState(db: Db): Promise<{ size: number; tally: string }> {
  const row = await db.selectFrom('log_state').select(['size', 'tally']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { size: Number(row.size), tally: row.tally };
}

/** The stored hashes at these storage indexes, in order; throws when one is missing. */
export async function readStoredHashes(db: Db, indexes: readonly number[]): Promise<Hash[]> {
  const found = new Map<number, Hash>();
  const unique = [...new Set(indexes)];
  for (let i = 0; i < unique.length; i += INDEXES_PER_READ) {
    const rows = await db.selectFrom('log_hash').select(['idx', 'hash']).where('idx', 'in', unique.slice(i, i + INDEXES_PER_READ)).execute();
    for (const row of rows) found.set(Number(row.idx), new Uint8Array(row.hash));
  }
  return indexes.map((index) => {
    const hash = found.get(index);
    if (!hash) throw new Error(`transparency log: no stored hash at index ${index}`);
    return hash;
  });
}

/** One batch of integrated entries: the stored hashes it adds, the tally after it, its signed checkpoint. */
export interface LogBatch {
  fromSize: number;
  toSize: number;
  /** Storage index of `hashes[0]`; the rest follow consecutively. */
  firstIndex: number;
  hashes: readonly Hash[];
  /** The full entry bundles the batch completes, by tile index (tile/entries/<index>). */
  bundles: readonly { index: number; data: Uint8Array }[];
  tally: string;
  checkpoint: { rootHash: Hash; note: string; day: string };
}

/**
 * Writes a batch in one transaction, if the log is still at `fromSize`: the state row moves from
 * `fromSize` to `toSize` (an UPDATE with that condition, so of two processes that computed the
 * same batch, the second finds nothing to update — on PostgreSQL it waits for the first's row
 * lock, then sees its commit — and writes nothing). Returns whether it was written.
 */
export async function commitLogBatch(database: Database, batch: LogBatch): Promise<boolean> {
  return database.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('log_state')
      .set({ size: batch.toSize, tally: batch.tally })
      .where('id', '=', 1)
      .where('size', '=', batch.fromSize)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return false;
    for (let i = 0; i < batch.hashes.length; i += HASHES_PER_INSERT) {
      const rows = batch.hashes.slice(i, i + HASHES_PER_INSERT).map((hash, j) => ({ idx: batch.firstIndex + i + j, hash }));
      await trx.insertInto('log_hash').values(rows).execute();
    }
    for (const bundle of batch.bundles) {
      await trx.insertInto('log_entry_bundle').values({ tile_index: bundle.index, data: bundle.data }).execute();
    }
    await trx
      .insertInto('log_checkpoint')
      .values({ size: batch.toSize, root_hash: batch.checkpoint.rootHash, note: batch.checkpoint.note, created_on: batch.checkpoint.day })
      .execute();
    return true;
  });
}

/** The stored full entry bundle `index`, or undefined (not full yet, or integrated before bundles were stored). */
export async function readStoredEntryBundle(db: Db, index: number): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('log_entry_bundle').select('data').where('tile_index', '=', index).executeTakeFirst();
  return row ? new Uint8Array(row.data) : undefined;
}

/** Replaces the note of the checkpoint of `size` (signed again by another key), if it is still `previous`. */
export async function replaceCheckpointNote(db: Db, size: number, previous: string, note: string): Promise<boolean> {
  const result = await db.updateTable('log_checkpoint').set({ note }).where('size', '=', size).where('note', '=', previous).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The latest signed checkpoint with the tally of its entries, or undefined before the first. */
export interface LatestCheckpoint {
  size: number;
  rootHash: Hash;
  note: string;
  tally: string;
}

const latestQuery = new WeakMap<object, CompiledQuery>();

/**
 * The checkpoint of the integrated size, with its tally: one read of the state row joined to its
 * checkpoint (they move together). SQLite: at once on the read-only connection.
 */
export function readLatestCheckpoint(database: Database): LatestCheckpoint | undefined | Promise<LatestCheckpoint | undefined> {
  const adapter = database.db.getExecutor().adapter;
  let query = latestQuery.get(adapter);
  if (!query) {
    query = database.db
      .selectFrom('log_state')
      .innerJoin('log_checkpoint', 'log_checkpoint.size', 'log_state.size')
      .select(['log_state.size', 'log_state.tally', 'log_checkpoint.root_hash', 'log_checkpoint.note'])
      .where('log_state.id', '=', 1)
      .compile();
    latestQuery.set(adapter, query);
  }
  type Row = { size: number | string; tally: string; root_hash: Uint8Array; note: string };
  const map = (row: Row | undefined) => (row ? { size: Number(row.size), rootHash: new Uint8Array(row.root_hash), note: row.note, tally: row.tally } : undefined);
  if (database.readFirstSync) return map(database.readFirstSync<Row>(query));
  return database.db.executeQuery<Row>(query).then((result) => map(result.rows[0]));
}

/** Events of these statements with seq at most `upToSeq`, in order: their state before a batch. */
export async function eventsOfStatements(db: Db, registrationNumbers: readonly number[], upToSeq: number): Promise<PublicationEventTable[]> {
  if (registrationNumbers.length === 0) return [];
  const rows: PublicationEventTable[] = [];
  const unique = [...new Set(registrationNumbers)];
  for (let i = 0; i < unique.length; i += INDEXES_PER_READ) {
    const chunk = await db
      .selectFrom('publication_event')
      .selectAll()
      .where('registration_number', 'in', unique.slice(i, i + INDEXES_PER_READ))
      .where('seq', '<=', upToSeq)
      .execute();
    rows.push(...chunk.map((r) => ({ ...r, seq: Number(r.seq), registration_number: Number(r.registration_number) })));
  }
  return rows.sort((a, b) => a.seq - b.seq);
}
