import type { Kysely, Transaction } from 'kysely';
import { countMoves, type CountedStatement } from '../domain/count-moves.js';
import { ORGANIZATIONS } from '../domain/organizations.js';
import { applyCountMoves } from './count.repository.js';
import type { DeclarantTable, Schema, SubmissionTable } from './schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** A submission row with its declarant rows, as written and read together. */
export interface SubmissionRecord {
  submission: SubmissionTable;
  declarants: DeclarantTable[];
}

// SQLite allows 32,766 bound parameters per statement; 10 columns × 500 rows stays well below.
const ROWS_PER_INSERT = 500;

/**
 * Inserts new submissions with their declarants and moves the "received" counts; the caller
 * owns the transaction. (Text-similarity bands are indexed later, by the background indexer.)
 */
export async function insertSubmissions(trx: Db, records: SubmissionRecord[]): Promise<void> {
  const submissions = records.map((r) => r.submission);
  const declarants = records.flatMap((r) => r.declarants);
  await insertChunked(trx, 'submission', submissions);
  await insertChunked(trx, 'declarant', declarants);
  await applyCountMoves(
    trx,
    records.flatMap((r) => countMoves('received', r.submission.received_at.slice(0, 10), countedStatement(r))),
  );
}

async function insertChunked<T extends 'submission' | 'declarant'>(
  trx: Db,
  table: T,
  rows: Schema[T][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await trx.insertInto(table).values(rows.slice(i, i + ROWS_PER_INSERT) as never).execute();
  }
}

/** What a stored statement contributes to the counts. */
export function countedStatement(record: SubmissionRecord, extra: Partial<CountedStatement> = {}): CountedStatement {
  return {
    channel: record.submission.channel,
    people: record.declarants.map((d) => ({ region: d.region, organizations: ORGANIZATIONS.filter((o) => d[o] === 1) })),
    reason: record.submission.reject_reason,
    ...extra,
  };
}

/** The submission a receipt hash belongs to, with its declarants in order, or undefined. */
export async function findSubmissionByReceiptHash(db: Db, receiptHash: string): Promise<SubmissionRecord | undefined> {
  const submission = await db.selectFrom('submission').selectAll().where('receipt_hash', '=', receiptHash).executeTakeFirst();
  return submission && { submission, declarants: await declarantsOf(db, submission.id) };
}

/** A submission by id with its declarants, or undefined. */
export async function findSubmissionById(db: Db, id: string): Promise<SubmissionRecord | undefined> {
  const submission = await db.selectFrom('submission').selectAll().where('id', '=', id).executeTakeFirst();
  return submission && { submission, declarants: await declarantsOf(db, submission.id) };
}

/** The declarants of a submission, in the order given. */
export function declarantsOf(db: Db, submissionId: string): Promise<DeclarantTable[]> {
  return db.selectFrom('declarant').selectAll().where('submission_id', '=', submissionId).orderBy('position').execute();
}

/**
 * Sets a submission's status (and any other columns) if it is still in one of `from`;
 * returns whether it changed. The status condition makes concurrent reviews safe.
 */
export async function updateSubmissionStatus(
  db: Db,
  id: string,
  from: readonly string[],
  changes: Partial<SubmissionTable> & { status: string; updated_at: string },
): Promise<boolean> {
  const result = await db.updateTable('submission').set(changes).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Contact ciphertexts of chosen submissions (all that have one when `ids` is empty). */
export async function listContactCiphertexts(db: Db, ids: string[]): Promise<{ id: string; contact_ciphertext: string }[]> {
  let query = db.selectFrom('submission').select(['id', 'contact_ciphertext']).where('contact_ciphertext', 'is not', null);
  if (ids.length > 0) query = query.where('id', 'in', ids);
  const rows = await query.orderBy('received_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, contact_ciphertext: r.contact_ciphertext! }));
}

/** Number of submissions in the database, for health checks and benchmarks. */
export async function countSubmissions(db: Db): Promise<number> {
  const row = await db.selectFrom('submission').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
