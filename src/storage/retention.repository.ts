import { Worker } from 'node:worker_threads';
import { sql, type Kysely, type Transaction } from 'kysely';
import { mergeCountMoves, type CountMove } from '../domain/count-moves.js';
import type { StoredStatement } from '../domain/recount.js';
import { PURGED_STATUSES } from '../domain/retention.js';
import type { Dialect } from './database.js';
import type { PurgedCountTable, Schema } from './schema.js';
import { asStoredStatements, STORED_STATEMENT_COLUMNS } from './recount.repository.js';
import { unindexStatements } from './search.repository.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** A submission the retention job is about to delete, with what it contributed to the counts. */
export interface ExpiredSubmission {
  id: string;
  registrationNumber: number | null;
  statement: StoredStatement;
}

/**
 * Up to `limit` rejected or duplicate submissions whose status changed before `before`, oldest
 * first, with their people. On PostgreSQL the rows are locked and rows another purge holds are
 * skipped, so two app processes purging at once never count the same statement twice.
 */
export async function expiredSubmissions(trx: Transaction<Schema>, dialect: Dialect, before: string, limit: number): Promise<ExpiredSubmission[]> {
  const rows = await trx
    .selectFrom('submission')
    .select([...STORED_STATEMENT_COLUMNS, 'registration_number'])
    .where('status', 'in', [...PURGED_STATUSES])
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked())
    .execute();
  const statements = await asStoredStatements(trx, rows);
  return rows.map((r, i) => ({ id: r.id, registrationNumber: r.registration_number, statement: statements[i]! }));
}

/**
 * Deletes submissions and everything stored about them: declarants, text bands, edits,
 * translations, search index entries. A surviving submission marked as a duplicate of one of
 * them forgets the reference. Explicit deletes, not only ON DELETE CASCADE: the job must not
 * depend on a connection having foreign keys switched on. Returns how many were deleted.
 */
export async function deleteSubmissions(trx: Transaction<Schema>, dialect: Dialect, submissions: readonly ExpiredSubmission[]): Promise<number> {
  if (submissions.length === 0) return 0;
  const ids = submissions.map((s) => s.id);
  const numbers = submissions.flatMap((s) => (s.registrationNumber === null ? [] : [s.registrationNumber]));
  if (numbers.length > 0) await unindexStatements(trx, dialect, numbers);
  await trx.deleteFrom('statement_translation').where('submission_id', 'in', ids).execute();
  await trx.deleteFrom('submission_edit').where('submission_id', 'in', ids).execute();
  await trx.deleteFrom('submission_text_band').where('submission_id', 'in', ids).execute();
  await trx.deleteFrom('declarant').where('submission_id', 'in', ids).execute();
  await trx.updateTable('submission').set({ duplicate_of: null }).where('duplicate_of', 'in', ids).execute();
  const result = await trx
    .deleteFrom('submission')
    .where('id', 'in', ids)
    .where('status', 'in', [...PURGED_STATUSES])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Adds the count moves of purged statements to `purged_count`, one upsert per cell. */
export async function addPurgedCounts(trx: Transaction<Schema>, moves: CountMove[]): Promise<void> {
  const cells = mergeCountMoves(moves);
  for (let i = 0; i < cells.length; i += 500) {
    await trx
      .insertInto('purged_count')
      .values(cells.slice(i, i + 500).map((m) => ({ day: m.day, metric: m.metric, dimension: m.dimension, value: m.value, n: m.delta })))
      .onConflict((oc) => oc.columns(['day', 'metric', 'dimension', 'value']).doUpdateSet({ n: sql`purged_count.n + excluded.n` }))
      .execute();
  }
}

/** Every cell of `purged_count`: what deleted statements contributed to the rollups. */
export function purgedCounts(db: Db): Promise<PurgedCountTable[]> {
  return db.selectFrom('purged_count').selectAll().execute();
}

/** Ids of up to `limit` submissions received before `before` that still hold contact ciphertext. */
export async function expiredContactIds(db: Db, before: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('submission')
    .select('id')
    .where('contact_ciphertext', 'is not', null)
    .where('received_at', '<', before)
    .orderBy('received_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Erases the contact ciphertext of these submissions (when still expired). Nothing else
 * changes — not `updated_at` either, which dates the status change the counts are filed under.
 */
export async function eraseContacts(trx: Transaction<Schema>, ids: readonly string[], before: string): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await trx
    .updateTable('submission')
    .set({ contact_ciphertext: null })
    .where('id', 'in', ids)
    .where('contact_ciphertext', 'is not', null)
    .where('received_at', '<', before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What a run would delete now: submissions and their persons, and contact ciphertexts. */
export async function countExpired(db: Db, cutoffs: { rejectedBefore: string; contactBefore: string }): Promise<{ submissions: number; persons: number; contacts: number }> {
  const submissions = await db
    .selectFrom('submission')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('status', 'in', [...PURGED_STATUSES])
    .where('updated_at', '<', cutoffs.rejectedBefore)
    .executeTakeFirstOrThrow();
  const persons = await db
    .selectFrom('declarant')
    .innerJoin('submission', 'submission.id', 'declarant.submission_id')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('submission.status', 'in', [...PURGED_STATUSES])
    .where('submission.updated_at', '<', cutoffs.rejectedBefore)
    .executeTakeFirstOrThrow();
  const contacts = await db
    .selectFrom('submission')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('contact_ciphertext', 'is not', null)
    .where('received_at', '<', cutoffs.contactBefore)
    // Those deleted with their submission are counted there, not here.
    .where((eb) => eb.not(eb.and([eb('status', 'in', [...PURGED_STATUSES]), eb('updated_at', '<', cutoffs.rejectedBefore)])))
    .executeTakeFirstOrThrow();
  return { submissions: Number(submissions.n), persons: Number(persons.n), contacts: Number(contacts.n) };
}

/**
 * SQLite: checkpoints and empties the WAL file on a worker thread (sqlite-wal-truncate.worker.mjs),
 * so frames written before a purge — which may hold the deleted rows — leave the disk's file.
 * With `compactSearch`, first merges the search index down to one segment, so the tokens of
 * statements removed from it leave the file too. Resolves false when the database stayed busy
 * (the next purge tries again).
 */
export function truncateSqliteWal(file: string, options: { compactSearch?: boolean } = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const workerData = { file, compactSearch: options.compactSearch === true };
    const worker = new Worker(new URL('./sqlite-wal-truncate.worker.mjs', import.meta.url), { workerData });
    let done = false;
    worker.once('message', (m: { busy: boolean }) => {
      done = true;
      resolve(!m.busy);
    });
    worker.once('error', () => resolve(false));
    worker.once('exit', () => {
      if (!done) resolve(false);
    });
  });
}
