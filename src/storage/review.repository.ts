import type { Kysely, Transaction } from 'kysely';
import type { DeclarantTable, Schema, SubmissionTable } from './schema.js';

export interface QueueFilters {
  channel?: string | undefined;
  language?: string | undefined;
  proofOfWork?: boolean | undefined;
  flagged?: boolean | undefined;
}

/** Pending submissions, oldest first, filtered, one page. */
export function listPending(db: Kysely<Schema>, filters: QueueFilters, limit: number, offset: number): Promise<SubmissionTable[]> {
  let query = db.selectFrom('submission').selectAll().where('status', '=', 'pending');
  if (filters.channel) query = query.where('channel', '=', filters.channel);
  if (filters.language) query = query.where('language', '=', filters.language);
  if (filters.proofOfWork !== undefined) query = query.where('proof_of_work', '=', filters.proofOfWork ? 1 : 0);
  if (filters.flagged !== undefined) query = query.where('flagged', '=', filters.flagged ? 1 : 0);
  return query.orderBy('received_at').orderBy('id').limit(limit).offset(offset).execute();
}

/** Declarants of many submissions, grouped by submission, in order. */
export async function declarantsOfMany(db: Kysely<Schema>, ids: string[]): Promise<Map<string, DeclarantTable[]>> {
  const map = new Map<string, DeclarantTable[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return map;
  const rows = await db.selectFrom('declarant').selectAll().where('submission_id', 'in', ids).orderBy('submission_id').orderBy('position').execute();
  for (const row of rows) map.get(row.submission_id)?.push(row);
  return map;
}

/** Other submissions received between `since` and `until` with a declarant of the same normalised name and region. */
export function sameNameSubmissions(
  db: Kysely<Schema>,
  submissionId: string,
  people: { name_key: string | null; region: string }[],
  since: string,
  until: string,
): Promise<{ id: string; status: string }[]> {
  const keys = people.filter((p) => p.name_key);
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('declarant')
    .innerJoin('submission', 'submission.id', 'declarant.submission_id')
    .select(['submission.id as id', 'submission.status as status'])
    .distinct()
    .where('submission.id', '!=', submissionId)
    .where('submission.received_at', '>=', since)
    .where('submission.received_at', '<=', until)
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('declarant.name_key', '=', k.name_key), eb('declarant.region', '=', k.region)]))))
    .limit(10)
    .execute();
}

/** Submissions sharing at least one text band with this one: candidates for near-identical text. */
export function sharedBandSubmissions(db: Kysely<Schema>, submissionId: string): Promise<{ id: string; status: string; text: string | null }[]> {
  return db
    .selectFrom('submission_text_band as mine')
    .innerJoin('submission_text_band as theirs', 'theirs.band', 'mine.band')
    .innerJoin('submission', 'submission.id', 'theirs.submission_id')
    .select(['submission.id as id', 'submission.status as status', 'submission.text as text'])
    .distinct()
    .where('mine.submission_id', '=', submissionId)
    .where('theirs.submission_id', '!=', submissionId)
    .limit(20)
    .execute();
}

/** How many submissions one volunteer entered between two times. */
export async function countEnteredBetween(db: Kysely<Schema>, userId: string, from: string, to: string): Promise<number> {
  const row = await db
    .selectFrom('submission')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('entered_by', '=', userId)
    .where('received_at', '>=', from)
    .where('received_at', '<=', to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A volunteer's own entries, newest first. */
export function entriesOf(db: Kysely<Schema>, userId: string, limit: number): Promise<SubmissionTable[]> {
  return db.selectFrom('submission').selectAll().where('entered_by', '=', userId).orderBy('received_at', 'desc').orderBy('id').limit(limit).execute();
}

/**
 * Indexes submissions for duplicate hints, once each: the text-similarity bands (`bandsOf`) and
 * the declarants' normalised names (`nameKeyOf`). Done when a statement reaches review rather
 * than at intake, where these random-key index writes would halve the throughput. Idempotent;
 * the caller owns the transaction.
 */
export async function indexForHints(
  trx: Transaction<Schema>,
  ids: string[],
  bandsOf: (text: string | null) => string[],
  nameKeyOf: (displayName: string) => string,
): Promise<void> {
  if (ids.length === 0) return;
  const rows = await trx.selectFrom('submission').select(['id', 'text']).where('id', 'in', ids).where('text_indexed', '=', 0).execute();
  if (rows.length === 0) return;
  const bands = rows.flatMap((r) => bandsOf(r.text).map((band) => ({ submission_id: r.id, band })));
  // Two editors opening the same page at once index the same rows: the second insert is a no-op.
  for (let i = 0; i < bands.length; i += 500) {
    await trx.insertInto('submission_text_band').values(bands.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).execute();
  }
  const people = await trx
    .selectFrom('declarant')
    .select(['submission_id', 'position', 'display_name'])
    .where('submission_id', 'in', rows.map((r) => r.id))
    .where('name_key', 'is', null)
    .execute();
  for (const person of people) {
    await trx
      .updateTable('declarant')
      .set({ name_key: nameKeyOf(person.display_name) })
      .where('submission_id', '=', person.submission_id)
      .where('position', '=', person.position)
      .execute();
  }
  await trx.updateTable('submission').set({ text_indexed: 1 }).where('id', 'in', rows.map((r) => r.id)).execute();
}

/** The oldest submissions not yet indexed for duplicate hints. */
export async function unindexedSubmissionIds(trx: Transaction<Schema>, limit: number): Promise<string[]> {
  const rows = await trx.selectFrom('submission').select('id').where('text_indexed', '=', 0).orderBy('received_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** Forgets a submission's bands after its text changed, so they are indexed again. */
export async function forgetTextBands(trx: Transaction<Schema>, id: string): Promise<void> {
  await trx.deleteFrom('submission_text_band').where('submission_id', '=', id).execute();
  await trx.updateTable('submission').set({ text_indexed: 0 }).where('id', '=', id).execute();
}
