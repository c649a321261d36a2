// What the property-based fuzz suites share: fixed seeds and run counts, hostile strings and
// values, the check that an error answer is a catalogued one, and row counts of every table.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { ERROR_CATALOG, type ErrorCode } from '../../src/domain/error-catalog.js';
import type { Database } from '../../src/storage/database.js';

/**
 * Generated cases per parser. Fixed seeds: a failure prints the seed, the path and the shrunk
 * counterexample (fast-check does), and the same run reproduces it. `RC_FUZZ_RUNS` raises (or
 * lowers) every count for a deeper run by hand.
 */
export const RUNS = Number(process.env.RC_FUZZ_RUNS ?? 10_000);

/**
 * Cases per endpoint family through `app.inject()`. SQLite: the full RUNS (10,000 requests take
 * 5–11 s a family). PostgreSQL: 3,000 — measured, 10,000 took 19–24 s a family (every request
 * and every row count is a round trip), over a minute for the five families. The parsers and
 * handlers are the same code on both; PostgreSQL's own risks (it refuses NUL in text, which
 * SQLite stores) are covered by the named cases in test/hostile-input on both databases, and the
 * runs here prove no partial write survives there either. `RC_FUZZ_RUNS` sets both. `scale`
 * lowers it for slow families (staff actions that succeed commit, render and refill).
 */
export function httpRuns(dialect: 'sqlite' | 'postgres', scale = 1): number {
  if (process.env.RC_FUZZ_RUNS) return RUNS;
  return Math.round((dialect === 'sqlite' ? RUNS : 3_000) * scale);
}

/** Options for `fc.assert`: a fixed seed per property, so every failure reproduces. */
export function fuzzOptions(seed: number, numRuns = RUNS): fc.Parameters<unknown> {
  return { seed, numRuns, verbose: 1, includeErrorInReport: true };
}

/**
 * Pieces of text that attack something: markup and script, SQL and full-text syntax, path and
 * template syntax, control characters, NUL, bidirectional overrides, zero-width and other
 * invisible characters, homoglyphs, lone surrogates, noncharacters, combining marks, emoji.
 */
export const NASTY_FRAGMENTS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  'javascript:alert(1)',
  '</textarea><script>x</script>',
  '&lt;&amp;&#x3c;',
  "'; drop table submission; --",
  "' or '1'='1",
  '" or ""="',
  '\\',
  '%',
  '_',
  '$1',
  '?',
  ':*',
  '(退出 OR',
  'NEAR(a b)',
  '../../etc/passwd',
  '${7*7}{{7*7}}',
  '\u0000',
  '\u0001\u001b[31m',
  '\u007f\u0085\u009b',
  '\t',
  '\n',
  '\r\n',
  '\u2028\u2029',
  '\u202e',
  '\u202a\u202c',
  '\u2066\u2069',
  '\u200e\u200f\u061c',
  '\u200b',
  '\u200d',
  '\u2060',
  '\u00ad',
  '\ufeff',
  '\u3164',
  '\u115f\u1160\uffa0',
  '\u2800',
  '\u034f\ufe0f\u{e0100}',
  '\u{e0001}\u{e0041}\u{e007f}',
  '\u206a\u206f',
  '\ufffe\uffff',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  'е',
  'А',
  'ⅰ',
  'Ａ',
  'e\u0301',
  'é',
  '\u0300\u0300\u0300',
  '退出中共',
  '退黨',
  ' ',
  '\u3000',
  '',
] as const;

/** Any string, leaning towards the nasty: fragments mixed with arbitrary code points. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...NASTY_FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 6 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_FRAGMENTS) },
);

/** Any JSON value (or a hostile string): what a field of the wrong type looks like. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, 0.5, [], {}, ['party'], { '': '' }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** A valid value most of the time, a hostile one otherwise. */
export function mostly<T>(valid: fc.Arbitrary<T>, validWeight = 4): fc.Arbitrary<T | unknown> {
  return fc.oneof({ weight: validWeight, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
}

/** Bytes that are not valid UTF-8 on their own: lone continuation, overlong, surrogate, truncated. */
export const INVALID_UTF8 = [
  [0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xff],
  [0xe4, 0xb8],
] as const;

/** Every code of the catalog. */
export const KNOWN_CODES = new Set(Object.keys(ERROR_CATALOG));

interface InjectedResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  json(): any;
}

/**
 * An error answer of the JSON API: a catalogued code with its own status, a message with no
 * template left in it, a field only as a string, nothing else; and the same for each of `errors`.
 * Returns the codes.
 */
export function assertCatalogedJsonError(response: InjectedResponse, context: string): ErrorCode[] {
  assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${context}: status ${response.statusCode} ${response.body.slice(0, 300)}`);
  assert.match(String(response.headers['content-type']), /^application\/json/, context);
  const body = response.json();
  assert.deepEqual(Object.keys(body).sort(), ['error', 'errors'], context);
  assert.ok(Array.isArray(body.errors) && body.errors.length > 0, context);
  for (const error of [body.error, ...body.errors]) {
    assert.ok(KNOWN_CODES.has(error.code), `${context}: unknown code ${JSON.stringify(error.code)}`);
    assert.deepEqual(Object.keys(error).filter((k) => !['code', 'message', 'field'].includes(k)), [], context);
    assert.equal(typeof error.message, 'string', context);
    assert.ok(error.message.length > 0 && !/\{(field|max)\}|undefined/.test(error.message), `${context}: message ${error.message}`);
    if ('field' in error) assert.equal(typeof error.field, 'string', context);
  }
  assert.deepEqual(body.error, body.errors[0], context);
  assert.equal(response.statusCode, ERROR_CATALOG[body.error.code as ErrorCode].status, `${context}: ${body.error.code} with status ${response.statusCode}`);
  return body.errors.map((e: { code: ErrorCode }) => e.code);
}

/** A refusal of a public or console HTML page: a catalogued status and a page, never a 500. */
export function assertRefusedPage(response: InjectedResponse, context: string): void {
  const statuses = new Set(Object.values(ERROR_CATALOG).map((e) => e.status as number));
  assert.ok(response.statusCode < 500, `${context}: status ${response.statusCode}`);
  assert.ok(statuses.has(response.statusCode), `${context}: status ${response.statusCode} is not in the catalog`);
  assert.match(String(response.headers['content-type']), /^text\/html/, context);
}

/** Rows in each table, by name. */
export type TableCounts = Record<string, number>;

/** The tables of the database (SQLite: without its own internal tables). */
async function tablesOf(database: Database): Promise<string[]> {
  if (database.dialect === 'sqlite') {
    const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(database.db);
    return rows.rows.map((r) => r.name);
  }
  const rows = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(database.db);
  return rows.rows.map((r) => r.name);
}

const countQueries = new WeakMap<Database, string>();

/** Row counts of every table, in one query (fast enough to take after every fuzzed request). */
export async function tableCounts(database: Database): Promise<TableCounts> {
  let query = countQueries.get(database);
  if (!query) {
    query = (await tablesOf(database)).map((t) => `select '${t}' as t, count(*) as n from "${t}"`).join(' union all ');
    countQueries.set(database, query);
  }
  const rows = await sql.raw<{ t: string; n: number | string }>(query).execute(database.db);
  return Object.fromEntries(rows.rows.map((r) => [r.t, Number(r.n)]));
}

/** The tables whose row count differs, with the difference. */
export function countChanges(before: TableCounts, after: TableCounts): Record<string, number> {
  const changes: Record<string, number> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const delta = (after[table] ?? 0) - (before[table] ?? 0);
    if (delta !== 0) changes[table] = delta;
  }
  return changes;
}

/** Asserts a rejected request changed no table. */
export function assertNothingWritten(before: TableCounts, after: TableCounts, context: string): void {
  assert.deepEqual(countChanges(before, after), {}, `${context}: a rejected request wrote rows`);
}

/**
 * Asserts an accepted submission wrote exactly its rows: one submission, one declarant per person,
 * `extra` more (e.g. one audit entry for assisted entry), and otherwise only new count cells and
 * duplicate-hint text bands.
 */
export function assertSubmissionWritten(before: TableCounts, after: TableCounts, persons: number, context: string, extra: Record<string, number> = {}): void {
  const changes = countChanges(before, after);
  const { daily_count: cells = 0, daily_cell: crossCells = 0, submission_text_band: bands = 0, ...rest } = changes;
  assert.ok(cells >= 0 && crossCells >= 0 && bands >= 0, `${context}: ${JSON.stringify(changes)}`);
  assert.deepEqual(rest, { submission: 1, declarant: persons, ...extra }, `${context}: rows written`);
}
