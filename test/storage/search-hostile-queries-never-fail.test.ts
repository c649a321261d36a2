import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import fc from 'fast-check';
import { searchStatements } from '../../src/commands/statement-search.js';
import { searchTokens, tokenize } from '../../src/domain/search-tokens.js';
import { indexStatements, searchStatementNumbers, unindexStatements } from '../../src/storage/search.repository.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { addStaff, rowCount, type TestStaff } from '../staff/staff-fixtures.js';
import { addPublished } from './search-fixtures.js';

const HOSTILE = [
  '"',
  '""',
  '"退出',
  '*',
  '退*',
  'a*b',
  ':',
  'tokens:退出',
  '(',
  ')',
  '(退出 OR',
  'NEAR(a b, 2)',
  'AND',
  'OR OR OR',
  'NOT',
  '-',
  '-退出',
  '^退出',
  "'",
  "'; drop table submission; --",
  "' or 1=1 --",
  '\\',
  '\\x00',
  '& | ! <-> <2> :* :A',
  "'a':* & !'b'",
  '退出\u0000中共',
  '\u0001\u0002\u001b[31m',
  '\u202e退出\u202c',
  '\u2066abc\u2069',
  '\ud800',
  '\udfff退',
  '退'.repeat(5000),
  'x'.repeat(100_000),
  '。，、！？《》',
  '🙂👍🏽‍',
  '退出 Freedom 1989 свобода حرية',
  '%',
  '_',
  '$1',
  '?',
];

describeEachDialect('hostile search queries never fail', (dialect) => {
  let t: TestDatabase;
  let editor: TestStaff;
  let published: number[] = [];

  before(async () => {
    t = await createTestDatabase(dialect);
    editor = await addStaff(t.database, 'hostile-editor', 'editor');
    for (const text of ['退出中共 Freedom', '自由 a b x 1989']) published.push((await addPublished(t.database, editor, { text })).registrationNumber);
  });
  after(() => t.cleanup());

  test('SQL and full-text syntax, control characters, bidi overrides and huge input are answered, never thrown', async () => {
    for (const q of HOSTILE) {
      const result = await searchStatements(t.database, q, 1, 20);
      for (const n of result.numbers) assert.ok(published.includes(n), JSON.stringify(q));
    }
    assert.equal(await rowCount(t.database, 'submission'), 2, 'nothing was dropped or written');
  });

  test('random input of every kind never makes a search throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 120 }), async (q) => {
        await searchStatements(t.database, q, 1, 5);
      }),
      { numRuns: 300 },
    );
  });

  test('tokens that carry quotes, backslashes and operators are still bound and quoted, at the repository too', async () => {
    for (const token of [`a"b`, `a'b`, `a\\`, `' or 1=1 --`, `" OR "x`, `):*|(`, `NEAR`]) {
      for (const terms of [[{ kind: 'prefix' as const, token }], [{ kind: 'phrase' as const, tokens: [token, token] }]]) {
        await searchStatementNumbers(t.database.db, t.database.dialect, { terms, highlight: [] }, 5, 0);
      }
    }
  });

  test('both databases keep every token whole, at the position it was given', async () => {
    const text = '我要退出中国共产党！ Hello, Café ΟΔΟΣ 2023年 コーヒー 한국어 Москва 〇々 𬌗字 x1e5 0x1f 1e5 ٣٤ ﬁne Ǆemal ' + 'w'.repeat(60);
    const tokens = searchTokens([text]);
    await indexStatements(t.database.db, t.database.dialect, [{ registrationNumber: 999_999, tokens }]);
    try {
      assert.deepEqual(await indexedTokens(t, 999_999), tokenize(text));
    } finally {
      await unindexStatements(t.database.db, t.database.dialect, [999_999]);
    }
  });
});

/** The tokens the database holds for one statement, in position order. */
async function indexedTokens(t: TestDatabase, registrationNumber: number): Promise<string[]> {
  const byPosition: string[] = [];
  if (t.dialect === 'sqlite') {
    await sql`create virtual table if not exists temp.search_instances using fts5vocab(main, statement_search, instance)`.execute(t.database.db);
    const rows = await sql<{ term: string; offset: number }>`select term, "offset" from temp.search_instances where doc = ${registrationNumber}`.execute(t.database.db);
    for (const row of rows.rows) byPosition[row.offset] = row.term;
  } else {
    const rows = await sql<{ lexeme: string; positions: number[] }>`select lexeme, positions from statement_search, unnest(tokens) where registration_number = ${registrationNumber}`.execute(t.database.db);
    // tsvector positions count from 1.
    for (const row of rows.rows) for (const p of row.positions) byPosition[p - 1] = row.lexeme;
  }
  return byPosition;
}
