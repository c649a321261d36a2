import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  MAX_QUERY_CHARACTERS,
  MAX_QUERY_TERMS,
  MAX_WORD_CHARACTERS,
  parseSearchQuery,
  searchTokens,
  tokenize,
  type SearchQuery,
} from '../../src/domain/search-tokens.js';
import { fts5Match, tsquery } from '../../src/storage/search.repository.js';

const TOKEN = /^[\p{L}\p{N}\p{M}]+$/u;
const terms = (q: string) => parseSearchQuery(q).terms;

test('a run of Chinese characters becomes overlapping bigrams and its last character', () => {
  assert.deepEqual(tokenize('退出中共'), ['退出', '出中', '中共', '共']);
  assert.deepEqual(tokenize('党'), ['党']);
  assert.deepEqual(tokenize('我退出。你呢'), ['我退', '退出', '出', '你呢', '呢']);
});

test('Traditional text is indexed in Simplified, full-width and upper-case Latin folded, accents dropped', () => {
  assert.deepEqual(tokenize('退黨'), tokenize('退党'));
  assert.deepEqual(tokenize('ＨＥＬＬＯ Café ΟΔΟΣ'), ['hello', 'cafe', 'οδοσ']);
  assert.deepEqual(tokenize('Straße'), ['strasse']);
});

test('Latin words, digits and Chinese next to each other are separate tokens', () => {
  assert.deepEqual(tokenize('2023年退出CCP, really!'), ['2023', '年退', '退出', '出', 'ccp', 'really']);
});

test('a statement’s tokens are its title, text and every declarant’s name, skipping missing parts', () => {
  assert.equal(searchTokens(['标题', null, '正文', undefined, '王小明', '']), '标题 题 正文 文 王小 小明 明');
  assert.equal(searchTokens([null, '   ']), '');
});

test('very long words are cut, in the index and in the query alike, so they still match as a prefix', () => {
  const word = 'a'.repeat(500);
  assert.deepEqual(tokenize(word), ['a'.repeat(MAX_WORD_CHARACTERS)]);
  assert.deepEqual(terms(word.slice(0, 90)), [{ kind: 'prefix', token: 'a'.repeat(MAX_WORD_CHARACTERS) }]);
});

test('a Chinese query of 2+ characters is the phrase of its bigrams; one character is a prefix', () => {
  assert.deepEqual(terms('退出中共'), [{ kind: 'phrase', tokens: ['退出', '出中', '中共'] }]);
  assert.deepEqual(terms('退出'), [{ kind: 'phrase', tokens: ['退出'] }]);
  assert.deepEqual(terms('黨'), [{ kind: 'prefix', token: '党' }]);
});

test('a Latin word is a prefix; terms separated by spaces or punctuation must all match', () => {
  assert.deepEqual(terms('  Free  退黨，自由 '), [
    { kind: 'prefix', token: 'free' },
    { kind: 'phrase', tokens: ['退党'] },
    { kind: 'phrase', tokens: ['自由'] },
  ]);
  assert.deepEqual(terms('free free FREE'), [{ kind: 'prefix', token: 'free' }], 'repeated terms count once');
});

test('highlight lists each piece as typed and in both scripts, longest first', () => {
  const { highlight } = parseSearchQuery('退黨 ｆｒｅｅ');
  assert.deepEqual(highlight, ['ｆｒｅｅ', 'free', '退黨', '退党']);
  assert.deepEqual(parseSearchQuery('退党').highlight, ['退党', '退黨']);
});

test('a query with nothing to search for is empty, not an error', () => {
  for (const q of ['', '   ', '!!!', '"*:()-^\';--', '\u0000\u0001\u202e\u2066', '。，、！', '🙂🙂', undefined, null, 42, ['退出'], { q: 'x' }]) {
    const query = parseSearchQuery(q);
    assert.deepEqual(query, { terms: [], highlight: [] }, JSON.stringify(q));
  }
});

test('FTS and SQL syntax in a query is read as words, never as operators', () => {
  const query = parseSearchQuery('"退出" NEAR(a b) AND OR NOT x* -y ^z col:w \'; drop table submission; --');
  assert.deepEqual(
    query.terms.map((t) => (t.kind === 'prefix' ? t.token : t.tokens.join('+'))),
    ['退出', 'near', 'a', 'b', 'and', 'or', 'not', 'x'],
    'at most eight terms, the rest ignored',
  );
  assert.equal(MAX_QUERY_TERMS, 8);
  const first = parseSearchQuery('"退出中" NEAR(a) -y^');
  assert.equal(fts5Match(first), '"退出" + "出中" AND "near"* AND "a"* AND "y"*');
  assert.equal(tsquery(first), "('退出' <-> '出中') & 'near':* & 'a':* & 'y':*");
});

test('NUL, control characters and bidi overrides separate terms and never reach a token', () => {
  const query = parseSearchQuery('退\u0000出\u202e中共\u0007abc\u200fdef');
  assert.deepEqual(query.terms, [
    { kind: 'prefix', token: '退' },
    { kind: 'prefix', token: '出' },
    { kind: 'phrase', tokens: ['中共'] },
    { kind: 'prefix', token: 'abc' },
    { kind: 'prefix', token: 'def' },
  ]);
  for (const h of query.highlight) assert.match(h, TOKEN);
});

test('only the first 100 characters of a long query are read', () => {
  const query = parseSearchQuery('党'.repeat(10_000));
  assert.equal(query.terms.length, 1);
  const phrase = query.terms[0]!;
  assert.equal(phrase.kind, 'phrase');
  if (phrase.kind === 'phrase') assert.equal(phrase.tokens.length, MAX_QUERY_CHARACTERS - 1);
});

test('mixed scripts: Chinese, kana, Hangul, Cyrillic and digits each make their own terms', () => {
  assert.deepEqual(terms('退党コーヒー한국Москва2024'), [
    { kind: 'phrase', tokens: ['退党', '党コ', 'コー', 'ーヒ', 'ヒー', 'ー한', '한국'] },
    { kind: 'prefix', token: 'москва2024' },
  ]);
});

function assertWellFormed(query: SearchQuery): void {
  for (const term of query.terms) {
    for (const token of term.kind === 'phrase' ? term.tokens : [term.token]) assert.match(token, TOKEN);
  }
  // Every token is a quoted string: take the quoted strings out and only operators remain.
  assert.match(fts5Match(query).replace(/"(?:[^"]|"")*"/g, ''), /^(?:\s|\+|\*|AND)*$/);
  assert.match(tsquery(query).replace(/'(?:[^'\\]|''|\\.)*'/g, ''), /^(?:\s|<->|:\*|&|\(|\))*$/);
}

test('any input whatsoever parses without throwing, into quoted tokens of letters and digits', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (q) => {
      const query = parseSearchQuery(q);
      assertWellFormed(query);
      assert.ok(query.terms.length <= MAX_QUERY_TERMS);
      assert.equal(query.terms.length === 0, query.highlight.length === 0);
    }),
    { numRuns: 2000 },
  );
});

test('indexed text always contains a query made from a piece of it (phrases and prefixes are complete)', () => {
  // Chinese only: a Latin query matches from the start of a word, not from inside it.
  const alphabet = fc.constantFrom(...'退出中共党团队黨團隊自由 ,。'.split(''));
  fc.assert(
    fc.property(fc.array(alphabet, { minLength: 1, maxLength: 40 }), fc.nat(), fc.nat(), (chars, a, b) => {
      const text = chars.join('');
      const start = a % text.length;
      const piece = text.slice(start, start + 1 + (b % 6));
      const query = parseSearchQuery(piece);
      const tokens = tokenize(text);
      for (const term of query.terms) {
        if (term.kind === 'prefix') assert.ok(tokens.some((t) => t.startsWith(term.token)), `${piece} in ${text}`);
        else assert.ok(tokens.join(' ').includes(term.tokens.join(' ')), `${piece} in ${text}`);
      }
    }),
    { numRuns: 2000 },
  );
});
