import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { DeclarantTable, Schema, SubmissionTable } from './schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

// Bulk writes of `rcenter demo`. Many thousands of rows per transaction: each multi-row INSERT is
// compiled once per (table, row count) and then run with new parameters, so Kysely does not
// rebuild a query of thousands of values per chunk, and SQLite reuses its prepared statement
// (database.ts caches statements by SQL text).

// 22 submission columns × 1,000 rows stays below SQLite's 32,766 bound parameters.
const ROWS_PER_INSERT = 1000;

const SUBMISSION_COLUMNS = [
  'id', 'receipt_hash', 'language', 'title', 'text', 'contact_ciphertext', 'status', 'channel', 'proof_of_work', 'flagged',
  'received_at', 'updated_at', 'registration_number', 'published_at', 'reviewed_by', 'reject_reason', 'duplicate_of',
  'featured', 'consent', 'entered_by', 'text_indexed', 'commitment_salt',
] as const satisfies readonly (keyof SubmissionTable)[];

const DECLARANT_COLUMNS = [
  'submission_id', 'position', 'display_name', 'name_kind', 'party', 'youth_league', 'young_pioneers', 'region', 'occupation',
  'name_key', 'published_number',
] as const satisfies readonly (keyof DeclarantTable)[];

/** Compiled INSERTs by table and row count, per Kysely instance (dialects compile differently). */
const compiled = new WeakMap<object, Map<string, CompiledQuery>>();

/** Inserts submission rows and then their declarant rows; the caller owns the transaction. */
export async function insertDemoRows(trx: Db, submissions: SubmissionTable[], declarants: DeclarantTable[]): Promise<void> {
  await insertRows(trx, 'submission', SUBMISSION_COLUMNS, submissions);
  await insertRows(trx, 'declarant', DECLARANT_COLUMNS, declarants);
}

async function insertRows<T extends 'submission' | 'declarant'>(trx: Db, table: T, columns: readonly (keyof Schema[T])[], rows: Schema[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    const template = templateFor(trx, table, columns, chunk.length);
    const parameters: unknown[] = new Array(chunk.length * columns.length);
    let at = 0;
    for (const row of chunk) for (const column of columns) parameters[at++] = row[column];
    await trx.executeQuery(CompiledQuery.raw(template.sql, parameters));
  }
}

/** The INSERT of `count` rows of `columns`, with its parameters in row-major column order. */
function templateFor(trx: Db, table: 'submission' | 'declarant', columns: readonly PropertyKey[], count: number): CompiledQuery {
  // A transaction's executor differs from the database's; its adapter (and so its SQL) does not.
  const key = trx.getExecutor().adapter;
  let byShape = compiled.get(key);
  if (!byShape) compiled.set(key, (byShape = new Map()));
  const shape = `${table}:${count}`;
  let query = byShape.get(shape);
  if (!query) {
    // Distinct placeholder values, so the compiled parameters can be checked to be in row-major order.
    const rows = Array.from({ length: count }, (_, r) => Object.fromEntries(columns.map((c, k) => [c, `${r}:${k}`])));
    query = trx.insertInto(table).values(rows as never).compile();
    const expected = rows.flatMap((row) => Object.values(row));
    if (query.parameters.length !== expected.length || query.parameters.some((p, i) => p !== expected[i])) {
      throw new Error(`unexpected parameter order in the compiled ${table} insert`);
    }
    byShape.set(shape, query);
  }
  return query;
}

/**
 * SQLite: a page cache large enough for the random-key indexes (ids, receipt hashes) of a
 * database of millions of rows, on this connection only, so bulk inserts do not re-read the
 * same index pages from disk. Nothing to do on PostgreSQL (shared_buffers is the server's).
 */
export async function useBulkWriteCache(db: Kysely<Schema>, dialect: 'sqlite' | 'postgres', mebibytes = 256): Promise<void> {
  if (dialect === 'sqlite') await sql`pragma cache_size = ${sql.raw(String(-Math.round(mebibytes * 1024)))}`.execute(db);
}
