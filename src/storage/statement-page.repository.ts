import { sql, type CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Locale } from '../domain/locales.js';
import type { Database } from './database.js';
import type { Schema } from './schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

// Stored single statement pages (table `statement_page`, migration 2026-11-30-statement-pages).
// Triggers delete every page of a statement in the transaction that changes it; the reads here
// also check that the statement is published right now, so a page that should have gone (a bug,
// a row written by hand, a save that raced a retraction) is still never served.

/** The locale's part of a page key; fixed by the migration's check constraint, never reordered. */
const LOCALE_NUMBER: Readonly<Record<Locale, number>> = { 'zh-hans': 0, 'zh-hant': 1, en: 2 };

/** As in publication.repository.ts: not indexable, so no planner walks the status index for it. */
const submissionIsPublished = sql<boolean>`(submission.status || '') = 'published'`;

/** A page as stored: the renderer version that made it, its ETag and its gzipped HTML. */
export interface StatementPage {
  registrationNumber: number;
  locale: Locale;
  build: string;
  etag: string;
  body: Buffer;
}

/** A stored page ready to send. */
export interface StoredPage {
  etag: string;
  body: Buffer;
}

// SQLite allows 32,766 bound parameters per statement; bodies are large, so few rows per INSERT.
const PAGES_PER_INSERT = 100;

/** The key of a statement's page in one locale: registration number × 4 + locale number. */
export function pageKey(registrationNumber: number, locale: Locale): number {
  const localeNumber = LOCALE_NUMBER[locale];
  if (!Number.isSafeInteger(registrationNumber) || registrationNumber < 0 || registrationNumber > Number.MAX_SAFE_INTEGER / 4 || localeNumber === undefined) {
    throw new RangeError(`no page key for statement ${registrationNumber} in locale ${locale}`);
  }
  return registrationNumber * 4 + localeNumber;
}

/** The look-up of a stored page, compiled once per database: the hottest read of the public site. */
const findPageQuery = new WeakMap<object, CompiledQuery>();

function compiledFindPage(db: Db): CompiledQuery {
  const executor = db.getExecutor();
  let compiled = findPageQuery.get(executor.adapter);
  if (!compiled) {
    // The status is checked in the covering index `submission_number_status` (registration
    // number, status), so the look-up reads no row of `submission`: one random page fewer.
    compiled = db
      .selectFrom('statement_page')
      .select(['statement_page.etag', 'statement_page.body'])
      .where('statement_page.page_key', '=', 0)
      .where('statement_page.registration_number', '=', 0)
      .where('statement_page.build', '=', '')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('submission')
            .select(sql<number>`1`.as('published'))
            .whereRef('submission.registration_number', '=', 'statement_page.registration_number')
            .where('submission.status', '=', sql.lit('published')),
        ),
      )
      .compile();
    findPageQuery.set(executor.adapter, compiled);
  }
  return compiled;
}

/**
 * The stored page of a statement in one locale, made by `build`, or undefined: also when it was
 * made by another build, and when the statement is not published right now. The query is built
 * and compiled once (per dialect) and run with new parameters: building it each time cost as
 * much as the look-up itself; on SQLite it runs at once on the read-only connection.
 */
export async function findStatementPage(database: Database, registrationNumber: number, locale: Locale, build: string): Promise<StoredPage | undefined> {
  type Row = { etag: string; body: Buffer | Uint8Array };
  const query = { ...compiledFindPage(database.db), parameters: [pageKey(registrationNumber, locale), registrationNumber, build] };
  // On SQLite at once, on a read-only connection (database.ts); on PostgreSQL through the pool.
  const row = database.readFirstSync ? database.readFirstSync<Row>(query) : (await database.db.executeQuery<Row>(query)).rows[0];
  // better-sqlite3 gives a Buffer for a BLOB, pg one for a bytea; a Uint8Array is made one too.
  return row && { etag: row.etag, body: Buffer.isBuffer(row.body) ? row.body : Buffer.from(row.body) };
}

/**
 * PostgreSQL: locks the submission rows of these statements FOR SHARE until the transaction ends,
 * in number order, and returns the numbers it locked (published, and not held by a change). Every change of a statement's public content locks that row too (an UPDATE of
 * it, or the declarant and translation triggers of migration 2026-11-30), so a transaction that
 * takes this lock before reading what it renders can never store a page older than a change.
 */
export async function lockPublishedForPages(db: Db, registrationNumbers: readonly number[]): Promise<number[]> {
  if (registrationNumbers.length === 0) return [];
  // SKIP LOCKED: storing pages is best effort, so a statement that a change (or a bulk update such
  // as the retention purge) holds right now is left for later, never waited for — no deadlock.
  const rows = await db
    .selectFrom('submission')
    .select('registration_number')
    .where('registration_number', 'in', [...registrationNumbers])
    .where('status', '=', 'published')
    .orderBy('registration_number')
    .forShare()
    .skipLocked()
    .execute();
  return rows.map((r) => Number(r.registration_number));
}

/**
 * Stores pages, replacing any page of the same statement and locale. The caller owns the transaction.
 *
 * The triggers cannot drop a page saved after a change by a render that read before it, so the
 * statement must be read in the transaction that saves its pages: on SQLite that transaction is
 * the only writer (it takes the write lock at BEGIN); on PostgreSQL it must call
 * `lockPublishedForPages` first (see src/web/statement-pages.tsx). Even so a page of a retracted
 * statement is never served: findStatementPage checks the status.
 */
export async function saveStatementPages(db: Db, pages: readonly StatementPage[]): Promise<void> {
  // In key order, whoever stores: two transactions storing overlapping pages wait for each other
  // instead of deadlocking.
  const rows = [...pages].sort((a, b) => pageKey(a.registrationNumber, a.locale) - pageKey(b.registrationNumber, b.locale)).map((p) => ({
    page_key: pageKey(p.registrationNumber, p.locale),
    registration_number: p.registrationNumber,
    locale: p.locale,
    build: p.build,
    etag: p.etag,
    body: p.body,
  }));
  for (let i = 0; i < rows.length; i += PAGES_PER_INSERT) {
    await db
      .insertInto('statement_page')
      .values(rows.slice(i, i + PAGES_PER_INSERT))
      .onConflict((oc) =>
        oc.column('page_key').doUpdateSet((eb) => ({
          registration_number: eb.ref('excluded.registration_number'),
          locale: eb.ref('excluded.locale'),
          build: eb.ref('excluded.build'),
          etag: eb.ref('excluded.etag'),
          body: eb.ref('excluded.body'),
        })),
      )
      .execute();
  }
}

/**
 * Registration numbers above `afterNumber` of published statements that lack a page made by
 * `build` in at least one locale, ascending, at most `limit`: what a background job renders next.
 */
export async function statementsNeedingPages(db: Db, build: string, afterNumber: number, limit: number): Promise<number[]> {
  const locales = Object.keys(LOCALE_NUMBER).length;
  const rows = await db
    .selectFrom('submission')
    .select('registration_number')
    .where('registration_number', '>', afterNumber)
    .where(submissionIsPublished)
    .where(
      sql<boolean>`(select count(*) from statement_page
        where statement_page.page_key between cast(submission.registration_number as bigint) * 4
          and cast(submission.registration_number as bigint) * 4 + 3
        and statement_page.build = ${build}) < ${locales}`,
    )
    .orderBy('registration_number')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.registration_number));
}
