import { sql, type CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Locale } from '../../domain/locales.js';
import type { Database } from '../database.js';
import type { Schema } from '../schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

// Stored single statement pages (table `statement_page`, migrations 2026-11-30-statement-pages
// and 2026-12-05-publication-log). A page carries the seq of its statement's latest publication
// event when it was rendered, and is served only while no later event of that statement exists:
// every change the public sees appends one (publication-log.repository.ts), so a change makes the
// statement's old pages unservable in its own transaction. The reads also check that the
// statement is published right now, so a page that should have gone (a bug, a row written by
// hand) is still never served (promise 6).

/** The locale's part of a page key; fixed by the migration's check constraint, never reordered. */
const LOCALE_NUMBER: Readonly<Record<Locale, number>> = { 'zh-hans': 0, 'zh-hant': 1, en: 2 };

/** As in publication.repository.ts: not indexable, so no planner walks the status index for it. */
const submissionIsPublished = sql<boolean>`(submission.status || '') = 'published'`;

/** A page as stored: the renderer version that made it, its ETag and its gzipped HTML. */
export interface StatementPage {
  registrationNumber: number;
  locale: Locale;
  build: string;
  /** The seq of the statement's latest publication event, read before what was rendered. */
  seq: number;
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
    // The latest event is found in the index `publication_event_statement` (number, seq) and the
    // status in the covering index `submission_number_status` (number, status): the look-up reads
    // no row of either table.
    compiled = db
      .selectFrom('statement_page')
      .select(['statement_page.etag', 'statement_page.body'])
      .where('statement_page.page_key', '=', 0)
      .where('statement_page.registration_number', '=', 0)
      .where('statement_page.build', '=', '')
      .where((eb) =>
        eb(
          'statement_page.seq',
          '=',
          eb
            .selectFrom('publication_event')
            .select('publication_event.seq')
            .whereRef('publication_event.registration_number', '=', 'statement_page.registration_number')
            .orderBy('publication_event.seq', 'desc')
            // A literal: the compiled query's parameters are the three above, nothing else.
            .limit(sql.lit(1)),
        ),
      )
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
 * made by another build, before the statement's latest publication event, or when the statement
 * is not published right now. The query is built
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
 * Stores pages, replacing any page of the same statement and locale. The caller owns the transaction.
 *
 * A page's `seq` must be read before what it shows (src/web/statement-pages.tsx): then a change
 * that commits in between leaves a page that is newer than its seq (never served, rendered again),
 * and one that commits after leaves a page older than the statement's latest event (never served
 * either) — no lock is needed. Even so a page of a retracted statement is never served:
 * findStatementPage checks the status.
 */
export async function saveStatementPages(db: Db, pages: readonly StatementPage[]): Promise<void> {
  // In key order, whoever stores: two transactions storing overlapping pages wait for each other
  // instead of deadlocking.
  const rows = [...pages].sort((a, b) => pageKey(a.registrationNumber, a.locale) - pageKey(b.registrationNumber, b.locale)).map((p) => ({
    page_key: pageKey(p.registrationNumber, p.locale),
    registration_number: p.registrationNumber,
    locale: p.locale,
    build: p.build,
    seq: p.seq,
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
          seq: eb.ref('excluded.seq'),
          etag: eb.ref('excluded.etag'),
          body: eb.ref('excluded.body'),
        })),
      )
      .execute();
  }
}

/**
 * Registration numbers above `afterNumber` of published statements that lack a servable page made
 * by `build` (under their latest event) in at least one locale, ascending, at most `limit`: what a
 * background job renders next.
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
        and statement_page.build = ${build}
        and statement_page.seq = (select max(seq) from publication_event
          where publication_event.registration_number = submission.registration_number)) < ${locales}`,
    )
    .orderBy('registration_number')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.registration_number));
}
