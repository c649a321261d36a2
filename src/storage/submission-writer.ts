import { countMoves, mergeCountMoves } from '../domain/count-moves.js';
import type { Database } from './database.js';
import { isDatabaseUnavailable } from './database-errors.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import type { SerialisedStatement } from './sqlite-intake-writer.js';
import { countedStatement, insertSubmissions, type SubmissionRecord } from './submission.repository.js';

/**
 * The group commit that stores new submissions (the intake hot path).
 *
 * - SQLite: each batch is serialised here into plain rows of column values and written by the
 *   intake writer thread (sqlite-intake-writer.ts) with a connection of its own, in one
 *   transaction; the event loop keeps parsing and answering requests meanwhile, and a batch's
 *   requests are answered only after that thread reported COMMIT (synchronous = FULL: flushed).
 * - PostgreSQL: a Kysely transaction on the pool (insertSubmissions).
 *
 * Either way a failed batch is retried one item at a time (group-commit.ts), so one bad item
 * cannot fail the others, and a full queue refuses at once with 503 `unavailable`; so does a
 * database that is unavailable (database-errors.ts: PostgreSQL down, SQLite's disk full) — the
 * whole batch at once, without retrying its items one by one.
 */
export function createSubmissionWriter(database: Database, groupCommit: GroupCommitOptions): GroupCommit<SubmissionRecord> {
  // A database that is down or a disk that is full fails the whole batch at once (503).
  const options: GroupCommitOptions = { isUnavailable: isDatabaseUnavailable, ...groupCommit };
  const thread = database.intakeWriter;
  if (thread) {
    // Batches go to the thread as soon as they form (one per turn of the event loop) and wait
    // there; the thread takes all that wait into its next transaction (up to maxBatch). The
    // queue limit counts them too: more than maxQueue unanswered items are refused with 503.
    return new GroupCommit((records) => thread.write(serialiseSubmissions(records), records.length, options.maxBatch), {
      maxInFlight: options.maxQueue,
      ...options,
    });
  }
  return new GroupCommit((records) => database.db.transaction().execute((trx) => insertSubmissions(trx, records)), options);
}

/**
 * What insertSubmissions writes, as statements with rows of values: every submission, then
 * every declarant (single-row INSERTs over the columns each row object has, as Kysely would
 * insert them), then the batch's merged "received" count moves as upserts, to `daily_count` and
 * `daily_cell` (as applyCountMoves).
 */
export function serialiseSubmissions(records: readonly SubmissionRecord[]): SerialisedStatement[] {
  const statements = new Map<string, unknown[][]>();
  const add = (table: 'submission' | 'declarant', row: object) => {
    // Rows of a table nearly always have the columns of the last one: only the values are
    // collected, and the column names are compared with that row's as they go by.
    const last = lastInsert.get(table);
    const values: unknown[] = [];
    let same = last !== undefined;
    for (const column in row) {
      const value = (row as Record<string, unknown>)[column];
      // Kysely leaves undefined values out of an INSERT; so does this.
      if (value === undefined) continue;
      if (same && last!.columns[values.length] !== column) same = false;
      values.push(value);
    }
    const sql = same && last!.columns.length === values.length ? last!.sql : insertSql(table, row);
    const rows = statements.get(sql);
    if (rows) rows.push(values);
    else statements.set(sql, [values]);
  };
  for (const record of records) add('submission', record.submission);
  for (const record of records) for (const declarant of record.declarants) add('declarant', declarant);
  const cells = mergeCountMoves(
    records.flatMap((r) => countMoves('received', r.submission.received_at.slice(0, 10), countedStatement(r))),
  );
  const result: SerialisedStatement[] = [...statements];
  const counts = cells.filter((m) => m.dimension !== 'cell');
  const crossCells = cells.filter((m) => m.dimension === 'cell');
  if (counts.length > 0) result.push([COUNT_UPSERT, counts.map((m) => [m.day, m.metric, m.dimension, m.value, m.delta])]);
  if (crossCells.length > 0) result.push([CELL_UPSERT, crossCells.map((m) => [m.day, m.metric, m.value, m.delta])]);
  return result;
}

const COUNT_UPSERT =
  'insert into "daily_count" ("day", "metric", "dimension", "value", "n") values (?, ?, ?, ?, ?) ' +
  'on conflict ("day", "metric", "dimension", "value") do update set "n" = "daily_count"."n" + excluded."n"';

const CELL_UPSERT =
  'insert into "daily_cell" ("day", "metric", "value", "n") values (?, ?, ?, ?) ' +
  'on conflict ("day", "metric", "value") do update set "n" = "daily_cell"."n" + excluded."n"';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** The last INSERT built for each table: rows of one table nearly always have the same columns. */
const lastInsert = new Map<string, { columns: readonly string[]; sql: string }>();

/** `insert into "table" ("a", "b") values (?, ?)` for the columns of this row that have a value. */
function insertSql(table: string, row: object): string {
  const columns = Object.keys(row).filter((column) => (row as Record<string, unknown>)[column] !== undefined);
  for (const name of [table, ...columns]) if (!IDENTIFIER.test(name)) throw new Error(`not a column name: ${name}`);
  const sql = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
  lastInsert.set(table, { columns, sql });
  return sql;
}
