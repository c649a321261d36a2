import type { Kysely, Transaction } from 'kysely';
import type { DeclarantTable, Schema, SubmissionTable } from './schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** A submission row with its declarant rows, as written and read together. */
export interface SubmissionRecord {
  submission: SubmissionTable;
  declarants: DeclarantTable[];
}

// SQLite allows 32,766 bound parameters per statement; 10 columns × 500 rows stays well below.
const ROWS_PER_INSERT = 500;

/** Inserts many submissions and their declarants; the caller owns the transaction. */
export async function insertSubmissions(trx: Db, records: SubmissionRecord[]): Promise<void> {
  const submissions = records.map((r) => r.submission);
  const declarants = records.flatMap((r) => r.declarants);
  for (let i = 0; i < submissions.length; i += ROWS_PER_INSERT) {
    await trx.insertInto('submission').values(submissions.slice(i, i + ROWS_PER_INSERT)).execute();
  }
  for (let i = 0; i < declarants.length; i += ROWS_PER_INSERT) {
    await trx.insertInto('declarant').values(declarants.slice(i, i + ROWS_PER_INSERT)).execute();
  }
}

/** The submission a receipt hash belongs to, with its declarants in order, or undefined. */
export async function findSubmissionByReceiptHash(db: Db, receiptHash: string): Promise<SubmissionRecord | undefined> {
  const submission = await db.selectFrom('submission').selectAll().where('receipt_hash', '=', receiptHash).executeTakeFirst();
  if (!submission) return undefined;
  const declarants = await db
    .selectFrom('declarant')
    .selectAll()
    .where('submission_id', '=', submission.id)
    .orderBy('position')
    .execute();
  return { submission, declarants };
}

/** Sets a submission's status if it is still in one of `from`; returns whether it changed. */
export async function updateSubmissionStatus(
  db: Db,
  id: string,
  from: readonly string[],
  to: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('submission')
    .set({ status: to, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
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
