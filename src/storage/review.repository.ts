import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from './database.js';
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

/** The oldest submissions not yet indexed for duplicate hints, with their texts (read outside any transaction). */
export function unindexedSubmissions(db: Kysely<Schema>, limit: number): Promise<{ id: string; text: string | null }[]> {
  // A literal 0, not a parameter: only then may SQLite use the partial index `submission_unindexed`.
  return db.selectFrom('submission').select(['id', 'text']).where('text_indexed', '=', sql.lit(0)).orderBy('received_at').limit(limit).execute();
}

/** A submission's text as it was read, with the bands computed from it. */
export interface ComputedBands {
  id: string;
  text: string | null;
  bands: string[];
}

/**
 * Stores the duplicate-hint index of submissions whose bands were computed outside this
 * transaction: their text bands, their declarants' normalised names (`nameKeyOf`) and
 * `text_indexed = 1`. A submission is skipped when it is gone, indexed already, or its text is no
 * longer the one the bands were computed from (edited meanwhile: it is indexed again later), and
 * on PostgreSQL when another transaction holds it (another indexer, an approval). Returns how
 * many were indexed. The caller owns the transaction and keeps the batch small: it holds the
 * write lock.
 */
export async function writeHintIndex(
  trx: Transaction<Schema>,
  dialect: Dialect,
  computed: readonly ComputedBands[],
  nameKeyOf: (displayName: string) => string,
): Promise<number> {
  if (computed.length === 0) return 0;
  const current = await trx
    .selectFrom('submission')
    .select(['id', 'text'])
    .where('id', 'in', computed.map((c) => c.id))
    .where('text_indexed', '=', 0)
    .orderBy('id')
    .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked())
    .execute();
  const textOf = new Map(current.map((r) => [r.id, r.text]));
  const ready = computed.filter((c) => textOf.has(c.id) && textOf.get(c.id) === c.text);
  if (ready.length === 0) return 0;
  const ids = ready.map((c) => c.id);
  const bands = ready.flatMap((c) => c.bands.map((band) => ({ submission_id: c.id, band })));
  if (bands.length > 0) await trx.insertInto('submission_text_band').values(bands).onConflict((oc) => oc.doNothing()).execute();
  const people = await trx
    .selectFrom('declarant')
    .select(['submission_id', 'position', 'display_name'])
    .where('submission_id', 'in', ids)
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
  await trx.updateTable('submission').set({ text_indexed: 1 }).where('id', 'in', ids).execute();
  return ready.length;
}

/** Most ids in one `in (…)` list. */
const CHUNK = 500;

/** The stored bands of each submission (which hold its whole MinHash signature), by id. */
export async function bandsOfMany(db: Kysely<Schema>, ids: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('submission_text_band').select(['submission_id', 'band']).where('submission_id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const row of rows) map.set(row.submission_id, [...(map.get(row.submission_id) ?? []), row.band]);
  }
  return map;
}

/** Most bands looked up in one query (one `union all` member each). */
const BANDS_PER_QUERY = 50;

/**
 * Up to `perBand` submissions filed under each band, by band: one index look-up per band, each
 * stopping after `perBand` rows, however many thousands of copies of a text were sent.
 */
export async function submissionsInBands(db: Kysely<Schema>, bands: readonly string[], perBand: number): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  for (let i = 0; i < bands.length; i += BANDS_PER_QUERY) {
    // Each member in a subquery of its own: SQLite allows a LIMIT only on the last member of a compound.
    const [first, ...rest] = bands.slice(i, i + BANDS_PER_QUERY).map((band, j) =>
      db
        .selectFrom((eb) => eb.selectFrom('submission_text_band').select(['band', 'submission_id']).where('band', '=', band).limit(perBand).as(`b${j}`))
        .selectAll(),
    );
    const rows = await rest.reduce((query, member) => query.unionAll(member), first!).execute();
    for (const row of rows) map.set(row.band, [...(map.get(row.band) ?? []), row.submission_id]);
  }
  return map;
}

/** The status of each submission, by id. */
export async function statusesOf(db: Kysely<Schema>, ids: readonly string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('submission').select(['id', 'status']).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const row of rows) map.set(row.id, row.status);
  }
  return map;
}

/** Forgets a submission's bands after its text changed, so they are indexed again. */
export async function forgetTextBands(trx: Transaction<Schema>, id: string): Promise<void> {
  await trx.deleteFrom('submission_text_band').where('submission_id', '=', id).execute();
  await trx.updateTable('submission').set({ text_indexed: 0 }).where('id', '=', id).execute();
}
