import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from './database.js';
import type { Schema } from './schema.js';
import { unindexStatements } from './search.repository.js';

// Retention's erasures that keep the statement (README "Retention"): a retracted statement's
// content once its grace period is over, and a published statement's redacted originals. The
// rows stay because the counts are made of them; what they said, and who, does not.

type Db = Kysely<Schema> | Transaction<Schema>;

/** A retracted statement whose content is about to be erased. */
export interface ErasableRetraction {
  id: string;
  registrationNumber: number | null;
}

/**
 * Up to `limit` statements retracted before `before` whose content is not erased yet, oldest
 * first. On PostgreSQL the rows are locked and rows another run holds are skipped.
 */
export async function expiredRetractions(trx: Transaction<Schema>, dialect: Dialect, before: string, limit: number): Promise<ErasableRetraction[]> {
  const rows = await trx
    .selectFrom('submission')
    .select(['id', 'registration_number'])
    .where('status', '=', 'retracted')
    .where('content_erased', '=', 0)
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked())
    .execute();
  return rows.map((r) => ({ id: r.id, registrationNumber: r.registration_number }));
}

/**
 * Erases what retracted statements said and who said it: title, text, contact ciphertext, the
 * commitment salt (already erased by the retraction itself; never left behind);
 * each declarant's name, name key and occupation; translations, edits, text bands and any search
 * entry (stored pages go with the submission's update, by trigger). Kept, because the counts and
 * `recount` are made of them: status, channel, the days received, published and retracted, the
 * rejection reason, and each declarant's position, region and organisations; and the receipt's
 * hash, so the declarant is still told the statement was retracted. `updated_at` is not touched:
 * it dates the retraction the counts file it under. Returns how many were erased.
 */
export async function eraseRetractedContent(trx: Transaction<Schema>, dialect: Dialect, retractions: readonly ErasableRetraction[]): Promise<number> {
  if (retractions.length === 0) return 0;
  const ids = retractions.map((r) => r.id);
  const numbers = retractions.flatMap((r) => (r.registrationNumber === null ? [] : [r.registrationNumber]));
  if (numbers.length > 0) await unindexStatements(trx, dialect, numbers);
  await trx.deleteFrom('statement_translation').where('submission_id', 'in', ids).execute();
  await trx.deleteFrom('submission_edit').where('submission_id', 'in', ids).execute();
  await trx.deleteFrom('submission_text_band').where('submission_id', 'in', ids).execute();
  await trx
    .updateTable('declarant')
    .set({ display_name: '', name_key: null, occupation: null, published_number: null })
    .where('submission_id', 'in', ids)
    .execute();
  const result = await trx
    .updateTable('submission')
    .set({ title: null, text: null, contact_ciphertext: null, commitment_salt: null, content_erased: 1 })
    .where('id', 'in', ids)
    .where('status', '=', 'retracted')
    .where('content_erased', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Ids of up to `limit` statements published before `before` that still keep redacted originals. */
export async function expiredEditSubmissions(db: Db, before: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('submission_edit')
    .innerJoin('submission', 'submission.id', 'submission_edit.submission_id')
    .select('submission.id')
    .distinct()
    .where('submission.status', '=', 'published')
    .where('submission.published_at', '<', before)
    .orderBy('submission.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Deletes the originals editors' edits replaced (`submission_edit`) of these statements, when
 * still published before `before`. Who edited and when stays in the audit log
 * (`submission.edit`). Returns how many originals were deleted.
 */
export async function deleteEditOriginals(trx: Transaction<Schema>, ids: readonly string[], before: string): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await trx
    .deleteFrom('submission_edit')
    .where('submission_id', 'in', ids)
    .where('submission_id', 'in', (eb) =>
      eb.selectFrom('submission').select('id').where('id', 'in', ids).where('status', '=', 'published').where('published_at', '<', before),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** What a run would erase now: retracted statements' content, and redacted originals. */
export async function countErasable(db: Db, cutoffs: { retractedBefore: string; editsBefore: string }): Promise<{ retracted: number; edits: number }> {
  const retracted = await db
    .selectFrom('submission')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('status', '=', 'retracted')
    .where('content_erased', '=', 0)
    .where('updated_at', '<', cutoffs.retractedBefore)
    .executeTakeFirstOrThrow();
  const edits = await db
    .selectFrom('submission_edit')
    .innerJoin('submission', 'submission.id', 'submission_edit.submission_id')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('submission.status', '=', 'published')
    .where('submission.published_at', '<', cutoffs.editsBefore)
    .executeTakeFirstOrThrow();
  return { retracted: Number(retracted.n), edits: Number(edits.n) };
}
