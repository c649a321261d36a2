import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import { LOCALES, type Locale } from '../../src/domain/locales.js';
import type { Database } from '../../src/storage/database.js';
import type { Schema, StatementPageTable } from '../../src/storage/schema.js';
import { latestEventOf } from '../../src/storage/publication/publication-log.repository.js';
import { findStatementPage, pageKey, saveStatementPages, type StatementPage } from '../../src/storage/publication/statement-page.repository.js';

/** A published statement as the page tests use it. */
export interface Published {
  id: string;
  receipt: string;
  number: number;
}

/** A trigger on a table, as the database describes it. */
export interface TriggerInfo {
  name: string;
  table: string;
  events: string[];
  hasWhen: boolean;
}

const DEFAULT_BUILD = 'build-1';

/**
 * A page of statement `n` in `locale`: gzipped HTML naming the statement, locale and build, and an
 * ETag, stored under publication event `seq`.
 */
export function pageFor(n: number, locale: Locale, build = DEFAULT_BUILD, seq = 0): StatementPage {
  return { registrationNumber: n, locale, build, seq, etag: `"${build}-${n}-${locale}"`, body: gzipSync(`<p>${n} ${locale} ${build}</p>`) };
}

/** The seq of statement `n`'s latest publication event (0: none). */
export async function latestSeq(database: Database, n: number): Promise<number> {
  return (await latestEventOf(database.db, [n])).get(n) ?? 0;
}

/** Reads and writes `statement_page` for the tests, beside the repository. */
export function pageStore(database: Database) {
  const db = database.db;
  /** The locales stored for statement `n`, whatever their build, read from the table itself. */
  const storedLocales = async (n: number, on: Kysely<Schema> | Transaction<Schema> = db) =>
    (await on.selectFrom('statement_page').select('locale').where('registration_number', '=', n).orderBy('page_key').execute()).map((r) => r.locale);
  /** The locales in which statement `n` has a stored page that is served now. */
  const servableLocales = async (n: number, build = DEFAULT_BUILD) =>
    (await Promise.all(LOCALES.map(async (l) => ((await findStatementPage(database, n, l, build)) ? [l] : [])))).flat();
  return {
    build: DEFAULT_BUILD,
    /** Stores the statement's page in every locale, under its latest publication event. */
    saveAll: async (n: number, build = DEFAULT_BUILD) => {
      const seq = await latestSeq(database, n);
      await saveStatementPages(db, LOCALES.map((l) => pageFor(n, l, build, seq)));
    },
    /** A row as a hand-made insert would write it. */
    row: (n: number, locale: Locale, seq = 0): StatementPageTable => {
      const page = pageFor(n, locale);
      return { page_key: pageKey(n, locale), registration_number: n, locale, build: page.build, seq, etag: page.etag, body: page.body };
    },
    servableLocales,
    rowCount: async (n: number) => (await storedLocales(n)).length,
    /** No stored page of the statement is served any more (its rows may stay, unused). */
    assertGone: async (s: Pick<Published, 'number'>, when = '') =>
      assert.deepEqual(await servableLocales(s.number), [], `pages of ${s.number} still served ${when}`),
    /** Every stored page of the statement is still served. */
    assertKept: async (s: Pick<Published, 'number'>, when = '') =>
      assert.deepEqual(await servableLocales(s.number), [...LOCALES], `pages of ${s.number} lost ${when}`),
    /** The last registration number given out. */
    counter: async () => Number((await db.selectFrom('counter').select('value').where('name', '=', 'registration_number').executeTakeFirstOrThrow()).value),
    /** Tables, triggers and functions named `statement_page…` (PostgreSQL: also its functions). */
    leftovers: async (on: Database): Promise<string[]> => {
      const query = on.dialect === 'sqlite'
        ? sql<{ name: string }>`select type || ' ' || name as name from sqlite_master where name like 'statement_page%' or name = 'submission_number_status'`
        : sql<{ name: string }>`select 'relation ' || relname as name from pg_class where relname like 'statement_page%' or relname = 'submission_number_status'
            union all select 'trigger ' || tgname from pg_trigger where tgname like 'statement_page%'
            union all select 'function ' || proname from pg_proc where proname like 'statement_page%'`;
      return (await query.execute(on.db)).rows.map((r) => r.name).sort();
    },
    /** The triggers on the tables of statements and of the log, as the database names them. */
    triggers: async (): Promise<TriggerInfo[]> => {
      if (database.dialect === 'sqlite') {
        const rows = await sql<{ name: string; tbl_name: string; sql: string }>`
          select name, tbl_name, sql from sqlite_master where type = 'trigger'`.execute(db);
        return rows.rows.map((r) => ({
          name: r.name,
          table: r.tbl_name,
          events: [/(?:after|before)\s+(insert|update|delete)/i.exec(r.sql)![1]!.toLowerCase()],
          hasWhen: /\bwhen\b/i.test(r.sql.split(/\bbegin\b/i)[0]!),
        }));
      }
      const rows = await sql<{ name: string; table: string; definition: string; qual: boolean }>`
        select tgname as name, tgrelid::regclass::text as table, pg_get_triggerdef(oid) as definition, tgqual is not null as qual
        from pg_trigger where not tgisinternal`.execute(db);
      return rows.rows.map((r) => ({
        name: r.name,
        table: r.table,
        events: [...r.definition.split(' ON ')[0]!.matchAll(/\b(INSERT|UPDATE|DELETE|TRUNCATE)\b/g)].map((m) => m[1]!.toLowerCase()),
        hasWhen: r.qual,
      }));
    },
  };
}
