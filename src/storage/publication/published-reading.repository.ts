import { sql, type Kysely } from 'kysely';
import type { Organization } from '../../domain/organizations.js';
import type { DeclarantTable, Schema, StatementTranslationTable, SubmissionTable } from '../schema.js';

type Db = Kysely<Schema>;

/**
 * `status = 'published'`, written so that no planner uses the `(status, received_at)` index for
 * it: almost every row is published, and that index would walk all of them (seconds at a million)
 * where the registration-number, publication-time and featured indexes find a page at once.
 * `status || ''` means the same in SQLite and PostgreSQL and is not indexable.
 */
const isPublished = sql<boolean>`(status || '') = 'published'`;
const submissionIsPublished = sql<boolean>`(submission.status || '') = 'published'`;

/**
 * The columns of a submission that the public side reads: what a statement page, a list and the
 * API show. Only these are read — converting a whole row (24 columns) costs the server more than
 * finding it.
 */
const PUBLISHED_COLUMNS = ['id', 'registration_number', 'published_at', 'updated_at', 'language', 'title', 'text', 'featured', 'commitment_salt'] as const;
export type PublishedSubmission = Pick<SubmissionTable, (typeof PUBLISHED_COLUMNS)[number]>;

const PUBLISHED_DECLARANT_COLUMNS = ['submission_id', 'position', 'display_name', 'name_kind', 'party', 'youth_league', 'young_pioneers', 'region', 'occupation'] as const;
export type PublishedDeclarant = Pick<DeclarantTable, (typeof PUBLISHED_DECLARANT_COLUMNS)[number]>;

/** A published statement as stored: its row and its declarants in order. */
export interface PublishedRecord {
  submission: PublishedSubmission;
  declarants: PublishedDeclarant[];
}

/** A slice of a list, and whether there is more after it. */
export interface Slice<T> {
  items: T[];
  hasMore: boolean;
}

/** Latest published statements, highest registration number first. */
export async function listLatestPublished(db: Db, limit: number, offset: number): Promise<Slice<PublishedRecord>> {
  const rows = await db
    .selectFrom('submission')
    .select(PUBLISHED_COLUMNS)
    .where(isPublished)
    .where('registration_number', 'is not', null)
    .orderBy('registration_number', 'desc')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  return withDeclarants(db, rows, limit);
}

/** The statements published on one UTC day (`YYYY-MM-DD`), in the order they were published. */
export async function listPublishedOnDay(db: Db, day: string, limit: number, offset: number): Promise<Slice<PublishedRecord>> {
  const rows = await onDay(db, day)
    .select(PUBLISHED_COLUMNS)
    .orderBy('published_at')
    .orderBy('registration_number')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  return withDeclarants(db, rows, limit);
}

/** How many statements and persons published on one day are still published. */
export async function countPublishedOnDay(db: Db, day: string): Promise<{ statements: number; persons: number }> {
  const row = await db
    .selectFrom('declarant')
    .innerJoin('submission', 'submission.id', 'declarant.submission_id')
    .select((eb) => [eb.fn.count<string | number>('declarant.submission_id').distinct().as('statements'), eb.fn.countAll<string | number>().as('persons')])
    .where('submission.published_at', '>=', `${day}T00:00:00`)
    .where('submission.published_at', '<', `${nextDay(day)}T00:00:00`)
    .where(submissionIsPublished)
    .executeTakeFirstOrThrow();
  return { statements: Number(row.statements), persons: Number(row.persons) };
}

/** Every UTC day (`YYYY-MM-DD`) with at least one statement still published, in order. */
export async function listPublicationDays(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('submission')
    .select(sql<string>`substr(published_at, 1, 10)`.as('day'))
    .where(isPublished)
    .where('published_at', 'is not', null)
    .distinct()
    .orderBy('day')
    .execute();
  return rows.map((r) => r.day);
}

/** The nearest earlier and later days with published statements, if any. */
export async function adjacentPublicationDays(db: Db, day: string): Promise<{ previous: string | null; next: string | null }> {
  const [before, after] = await Promise.all([
    db.selectFrom('submission').select('published_at').where('published_at', '<', `${day}T00:00:00`).where(isPublished)
      .orderBy('published_at', 'desc').limit(1).executeTakeFirst(),
    db.selectFrom('submission').select('published_at').where('published_at', '>=', `${nextDay(day)}T00:00:00`).where(isPublished)
      .orderBy('published_at').limit(1).executeTakeFirst(),
  ]);
  return { previous: before?.published_at?.slice(0, 10) ?? null, next: after?.published_at?.slice(0, 10) ?? null };
}

/** One published statement by registration number, or undefined (also when retracted). */
export async function findPublished(db: Db, registrationNumber: number): Promise<PublishedRecord | undefined> {
  const row = await db
    .selectFrom('submission')
    .select(PUBLISHED_COLUMNS)
    .where('registration_number', '=', registrationNumber)
    .where(isPublished)
    .executeTakeFirst();
  if (!row) return undefined;
  return (await withDeclarants(db, [row], 1)).items[0];
}

/** The highest registration number given so far (0 before the first publication). */
export async function highestRegistrationNumber(db: Db): Promise<number> {
  const row = await db.selectFrom('submission').select((eb) => eb.fn.max('registration_number').as('n')).where('registration_number', 'is not', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Published statements by registration number, in the order asked for; missing ones left out. */
export async function findPublishedMany(db: Db, numbers: number[]): Promise<PublishedRecord[]> {
  if (numbers.length === 0) return [];
  const rows = await db.selectFrom('submission').select(PUBLISHED_COLUMNS).where('registration_number', 'in', numbers).where(isPublished).execute();
  const byNumber = new Map(rows.map((r) => [r.registration_number, r]));
  const ordered = numbers.flatMap((n) => byNumber.get(n) ?? []);
  return (await withDeclarants(db, ordered, ordered.length)).items;
}

/** Featured statements (articles), newest first. */
export async function listFeatured(db: Db, limit: number, offset: number): Promise<Slice<PublishedRecord>> {
  const rows = await db
    .selectFrom('submission')
    .select(PUBLISHED_COLUMNS)
    .where('featured', '=', 1)
    .where(isPublished)
    .orderBy('registration_number', 'desc')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  return withDeclarants(db, rows, limit);
}

/** What a category page lists: statements with a declarant of this region, occupation or organisation set. */
export type Category =
  | { kind: 'region'; region: string }
  | { kind: 'occupation'; occupation: string }
  | { kind: 'organizations'; organizations: readonly Organization[] };

/** Published statements of a category, newest first (read from declarant.published_number). */
export async function listCategory(db: Db, category: Category, limit: number, offset: number): Promise<Slice<PublishedRecord>> {
  let query = db.selectFrom('declarant').select('published_number').distinct().where('published_number', 'is not', null);
  if (category.kind === 'region') query = query.where('region', '=', category.region);
  else if (category.kind === 'occupation') query = query.where('occupation', '=', category.occupation);
  else {
    for (const org of ['party', 'youth_league', 'young_pioneers'] as const) {
      query = query.where(org, '=', category.organizations.includes(org) ? 1 : 0);
    }
  }
  const numbers = await query.orderBy('published_number', 'desc').limit(limit + 1).offset(offset).execute();
  const records = await findPublishedMany(db, numbers.slice(0, limit).map((r) => r.published_number!));
  return { items: records, hasMore: numbers.length > limit };
}

/** Translations of these statements into one locale, by submission id. */
export async function translationsOf(db: Db, ids: string[], locale: string): Promise<Map<string, StatementTranslationTable>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('statement_translation').selectAll().where('submission_id', 'in', ids).where('locale', '=', locale).execute();
  return new Map(rows.map((r) => [r.submission_id, r]));
}

/** Whether any translation exists at all (most of the time none does, and the look-up can be skipped). */
export async function anyTranslation(db: Db): Promise<boolean> {
  return (await db.selectFrom('statement_translation').select('submission_id').limit(1).executeTakeFirst()) !== undefined;
}

/** When the published record last changed: the latest publication or retraction of a published statement. */
export async function lastPublicationChange(db: Db): Promise<string | null> {
  const [published, retracted] = await Promise.all([
    db.selectFrom('submission').select('published_at').where('published_at', 'is not', null).orderBy('published_at', 'desc').limit(1).executeTakeFirst(),
    db.selectFrom('submission').select((eb) => eb.fn.max('updated_at').as('at')).where('status', '=', 'retracted').where('registration_number', 'is not', null).executeTakeFirst(),
  ]);
  const times = [published?.published_at, retracted?.at as string | null | undefined].filter((t): t is string => typeof t === 'string');
  return times.length === 0 ? null : times.sort().at(-1)!;
}

function onDay(db: Db, day: string) {
  return db
    .selectFrom('submission')
    .where('published_at', '>=', `${day}T00:00:00`)
    .where('published_at', '<', `${nextDay(day)}T00:00:00`)
    .where(isPublished);
}

/** The UTC day after `day` (`YYYY-MM-DD`). */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

async function withDeclarants(db: Db, rows: PublishedSubmission[], limit: number): Promise<Slice<PublishedRecord>> {
  const page = rows.slice(0, limit);
  const ids = page.map((r) => r.id);
  const declarants = ids.length === 0
    ? []
    : await db.selectFrom('declarant').select(PUBLISHED_DECLARANT_COLUMNS).where('submission_id', 'in', ids).orderBy('submission_id').orderBy('position').execute();
  const bySubmission = new Map<string, PublishedDeclarant[]>(ids.map((id) => [id, []]));
  for (const d of declarants) bySubmission.get(d.submission_id)?.push(d);
  return { items: page.map((submission) => ({ submission, declarants: bySubmission.get(submission.id)! })), hasMore: rows.length > limit };
}
