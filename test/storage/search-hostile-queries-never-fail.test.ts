import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import fc from 'fast-check';
import { searchStatements } from '../../src/commands/statement-search.js';
import { searchTokens, tokenize, type SearchTerm } from '../../src/domain/search-tokens.js';
import { indexStatements, searchStatementNumbers, unindexStatements } from '../../src/storage/search.repository.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { addStaff, rowCount, type TestStaff } from '../staff/staff-fixtures.js';
import { addPending, addPublished } from './search-fixtures.js';

/**
 * The statements searched, by label, and for every hostile query the answer written out by hand
 * from the rules in search-tokens.ts (punctuation, symbols and control characters only separate
 * terms; every term must match; a word is a prefix, two or more CJK characters a phrase, one a
 * prefix): the labels of the statements found, newest first, or EMPTY for no usable term.
 */
const TEXTS = { A: '退出中共 Freedom', B: '自由 a b x 1989', C: "50% off_line a\\b it's 中共" } as const;
type Label = keyof typeof TEXTS;
const EMPTY = 'empty';
const HOSTILE: [string, Label[] | typeof EMPTY][] = [
  ['"', EMPTY],
  ['""', EMPTY],
  ['"退出', ['A']],
  ['*', EMPTY],
  ['退*', ['A']],
  ['a*b', ['C', 'B']],
  [':', EMPTY],
  ['tokens:退出', []],
  ['(', EMPTY],
  [')', EMPTY],
  ['(退出 OR', []],
  ['NEAR(a b, 2)', []],
  ['AND', []],
  ['OR OR OR', []],
  ['NOT', []],
  ['-', EMPTY],
  ['-退出', ['A']],
  ['^退出', ['A']],
  ["'", EMPTY],
  ["'; drop table submission; --", []],
  ["' or 1=1 --", []],
  ['\\', EMPTY],
  ['\\x00', []],
  ['& | ! <-> <2> :* :A', []],
  ["'a':* & !'b'", ['C', 'B']],
  ['退出\u0000中共', ['A']],
  ['\u0001\u0002\u001b[31m', []],
  ['\u202e退出\u202c', ['A']],
  ['\u2066abc\u2069', []],
  ['\ud800', EMPTY],
  ['\udfff退', ['A']],
  ['退'.repeat(5000), []],
  ['x'.repeat(100_000), []],
  ['。，、！？《》', EMPTY],
  ['🙂👍🏽‍', EMPTY],
  ['退出 Freedom 1989 свобода حرية', []],
  ['%', EMPTY],
  ['_', EMPTY],
  ['50%', ['C']],
  ['off_line', ['C']],
  ['a\\b', ['C', 'B']],
  ["it's", ['C']],
  ['$1', ['B']],
  ['?', EMPTY],
  ['FREE', ['A']],
  ['中共', ['C', 'A']],
  ['共', ['C', 'A']],
];

describeEachDialect('hostile search queries never fail', (dialect) => {
  let t: TestDatabase;
  let editor: TestStaff;
  const numberOf = {} as Record<Label, number>;
  let published: number[] = [];

  before(async () => {
    t = await createTestDatabase(dialect);
    editor = await addStaff(t.database, 'hostile-editor', 'editor');
    for (const label of Object.keys(TEXTS) as Label[]) numberOf[label] = (await addPublished(t.database, editor, { text: TEXTS[label] })).registrationNumber;
    published = Object.values(numberOf);
    // A pending statement that contains every word above must never be found.
    await addPending(t.database, { text: Object.values(TEXTS).join(' ') });
  });
  after(() => t.cleanup());

  test('SQL and full-text syntax, control characters, bidi overrides and huge input are answered as data, exactly', async () => {
    for (const [q, expected] of HOSTILE) {
      const result = await searchStatements(t.database, q, 1, 20);
      const what = JSON.stringify(q.length > 50 ? `${q.slice(0, 50)}…` : q);
      assert.equal(result.empty, expected === EMPTY, `${what}: no usable term?`);
      assert.deepEqual(result.numbers, expected === EMPTY ? [] : expected.map((label) => numberOf[label]), `${what}: the statements found, newest first`);
      assert.equal(result.hasMore, false, what);
    }
    assert.equal(await rowCount(t.database, 'submission'), 4, 'nothing was dropped or written');
  });

  test('random input of every kind never makes a search throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 120 }), async (q) => {
        const { numbers } = await searchStatements(t.database, q, 1, 5);
        // Only published statements, newest first, each once.
        for (const n of numbers) assert.ok(published.includes(n), JSON.stringify(q));
        assert.deepEqual(numbers, [...new Set(numbers)].sort((a, b) => b - a), JSON.stringify(q));
      }),
      { numRuns: 300 },
    );
  });

  test('tokens that carry quotes, backslashes and operators are still bound and quoted, at the repository too', async () => {
    // Inside a quoted token both databases read punctuation as a space between words, as the
    // tokenizer does: `a"b` as a prefix is the phrase `a b*` (B, and C's `a\b`); `a\` is `a*`.
    // Read as syntax instead, `" OR "x` would find B (x), `NEAR` and `):*|(` would throw.
    const found: [string, Label[], Label[]][] = [
      // token, found as a prefix, found as the phrase of the token twice
      [`a"b`, ['C', 'B'], []],
      [`a'b`, ['C', 'B'], []],
      [`a\\`, ['C', 'B'], []],
      [`' or 1=1 --`, [], []],
      [`" OR "x`, [], []],
      [`):*|(`, [], []],
      [`NEAR`, [], []],
    ];
    for (const [token, asPrefix, asPhrase] of found) {
      const terms: [SearchTerm[], Label[]][] = [
        [[{ kind: 'prefix', token }], asPrefix],
        [[{ kind: 'phrase', tokens: [token, token] }], asPhrase],
      ];
      for (const [query, expected] of terms) {
        const numbers = await searchStatementNumbers(t.database.db, t.database.dialect, { terms: query, highlight: [] }, 5, 0);
        assert.deepEqual(numbers, expected.map((label) => numberOf[label]), JSON.stringify(query));
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
