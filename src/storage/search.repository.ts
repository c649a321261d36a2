import { sql, type Kysely, type Transaction } from 'kysely';
import type { SearchQuery, SearchTerm } from '../domain/search-tokens.js';
import type { Dialect } from './database.js';
import type { Schema } from './schema.js';

// `statement_search` (migration 2026-11-28-public) is an FTS5 table on SQLite (contentless, rowid
// = registration number) and a tsvector table with a GIN index on PostgreSQL. It is not in the
// Kysely schema, so every statement here is written with `sql` and bound parameters; the tokens
// come from src/domain/search-tokens.ts, identical for both.

type Db = Kysely<Schema> | Transaction<Schema>;

/** A published statement's search tokens (see searchTokens()). */
export interface SearchEntry {
  registrationNumber: number;
  tokens: string;
}

// Two parameters per row; SQLite allows 32,766 per statement, PostgreSQL 65,535.
const ROWS_PER_INSERT = 500;

/**
 * Adds statements to the search index, replacing any earlier tokens of the same numbers.
 * The caller owns the transaction: indexing commits with the publication.
 */
export async function indexStatements(db: Db, dialect: Dialect, entries: readonly SearchEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
    const chunk = entries.slice(i, i + ROWS_PER_INSERT);
    if (dialect === 'sqlite') {
      // A contentless FTS5 table has no upsert: delete first, so indexing twice is harmless.
      await unindexStatements(db, dialect, chunk.map((e) => e.registrationNumber));
      const rows = chunk.map((e) => sql`(${e.registrationNumber}, ${e.tokens})`);
      await sql`insert into statement_search (rowid, tokens) values ${sql.join(rows)}`.execute(db);
    } else {
      const rows = chunk.map((e) => sql`(${e.registrationNumber}, to_tsvector('simple', ${e.tokens}))`);
      await sql`insert into statement_search (registration_number, tokens) values ${sql.join(rows)}
        on conflict (registration_number) do update set tokens = excluded.tokens`.execute(db);
    }
  }
}

/** Removes statements from the search index (no error for numbers that are not in it). */
export async function unindexStatements(db: Db, dialect: Dialect, registrationNumbers: readonly number[]): Promise<void> {
  for (let i = 0; i < registrationNumbers.length; i += ROWS_PER_INSERT) {
    const numbers = sql.join(registrationNumbers.slice(i, i + ROWS_PER_INSERT).map((n) => sql`${n}`));
    if (dialect === 'sqlite') await sql`delete from statement_search where rowid in (${numbers})`.execute(db);
    else await sql`delete from statement_search where registration_number in (${numbers})`.execute(db);
  }
}

/**
 * Registration numbers of published statements that match every term of `query`, newest
 * first. An empty query matches nothing. The status is checked again against `submission`, so a
 * stale index entry can never show a statement that is not published. Not inside a transaction:
 * on PostgreSQL it opens one of its own.
 */
export async function searchStatementNumbers(db: Kysely<Schema>, dialect: Dialect, query: SearchQuery, limit: number, offset: number): Promise<number[]> {
  if (query.terms.length === 0 || limit <= 0) return [];
  const rows = dialect === 'sqlite' ? await sqliteSearch(db, query, limit, offset) : await postgresSearch(db, query, limit, offset);
  return rows.rows.map((row) => Number(row.n));
}

function sqliteSearch(db: Db, query: SearchQuery, limit: number, offset: number) {
  // FTS5 walks its matches in rowid order, so "newest first" with a limit stops early.
  return sql<{ n: number }>`select rowid as n from statement_search
    where statement_search match ${fts5Match(query)}
      and exists (select 1 from submission where submission.registration_number = statement_search.rowid and submission.status = 'published')
    order by rowid desc limit ${limit} offset ${offset}`.execute(db);
}

// PostgreSQL cannot estimate how many rows a tsquery matches (an unknown prefix is guessed at
// 0.5 % of the table), and with ORDER BY … LIMIT it walks the primary key backwards testing
// every row: instant for a common term, a scan of the whole table for a rare one. So the GIN
// index alone (no sequential or plain index scan allowed, in a transaction of its own) first
// collects up to this many matches; fewer means that is all of them, and they are sorted in
// full. Only a term with more matches than this takes the backward walk, which then meets a
// match every few rows.
const POSTGRES_CANDIDATES = 1000;

async function postgresSearch(db: Kysely<Schema>, query: SearchQuery, limit: number, offset: number) {
  const q = tsquery(query);
  const candidates = await db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    await sql`set local enable_indexscan = off`.execute(trx);
    const found = await sql<{ n: number }>`select registration_number as n from statement_search
      where tokens @@ to_tsquery('simple', ${q}) limit ${POSTGRES_CANDIDATES}`.execute(trx);
    return found.rows.map((row) => Number(row.n));
  });
  if (candidates.length < POSTGRES_CANDIDATES) {
    if (candidates.length === 0) return { rows: [] };
    return sql<{ n: number }>`select registration_number as n from submission
      where registration_number = any(${candidates}::integer[]) and status = 'published'
      order by registration_number desc limit ${limit} offset ${offset}`.execute(db);
  }
  return sql<{ n: number }>`select s.registration_number as n from statement_search s
    where s.tokens @@ to_tsquery('simple', ${q})
      and exists (select 1 from submission where submission.registration_number = s.registration_number and submission.status = 'published')
    order by s.registration_number desc limit ${limit} offset ${offset}`.execute(db);
}

/**
 * The FTS5 MATCH expression of a query (https://sqlite.org/fts5.html#full_text_query_syntax):
 * every token a quoted string ("" escapes a quote), so no input is read as an operator; a phrase
 * joins its tokens with `+` (adjacent), a prefix ends in `*`, terms are joined with AND.
 */
export function fts5Match(query: SearchQuery): string {
  const quote = (token: string) => `"${token.replaceAll('"', '""')}"`;
  return query.terms.map((term) => (term.kind === 'phrase' ? term.tokens.map(quote).join(' + ') : `${quote(term.token)}*`)).join(' AND ');
}

/**
 * The PostgreSQL tsquery text of a query, for to_tsquery('simple', …)
 * (https://www.postgresql.org/docs/current/datatype-textsearch.html#DATATYPE-TSQUERY): every
 * token a quoted lexeme ('' escapes a quote, \ escapes itself); a phrase joins its tokens with
 * <-> (adjacent), a prefix ends in :*, terms are joined with &.
 */
export function tsquery(query: SearchQuery): string {
  const quote = (token: string) => `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  const term = (t: SearchTerm) => (t.kind === 'phrase' ? `(${t.tokens.map(quote).join(' <-> ')})` : `${quote(t.token)}:*`);
  return query.terms.map(term).join(' & ');
}
