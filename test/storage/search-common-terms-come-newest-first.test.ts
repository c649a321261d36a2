import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { searchStatements } from '../../src/commands/statement-search.js';
import { searchTokens } from '../../src/domain/search-tokens.js';
import type { SubmissionTable } from '../../src/storage/schema.js';
import { indexStatements } from '../../src/storage/search.repository.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';

// More matches than PostgreSQL collects from its GIN index before sorting (1,000), so that the
// other way, walking registration numbers backwards, is taken too.
const COMMON = 1_200;

function publishedRow(registrationNumber: number, status = 'published'): SubmissionTable {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    receipt_hash: randomUUID(),
    language: 'zh-hans',
    title: null,
    text: null,
    contact_ciphertext: null,
    status,
    channel: 'web',
    proof_of_work: 1,
    flagged: 0,
    received_at: now,
    updated_at: now,
    registration_number: registrationNumber,
    published_at: now,
    reviewed_by: null,
    reject_reason: null,
    duplicate_of: null,
    featured: 0,
    consent: 0,
    entered_by: null,
    text_indexed: 0,
  };
}

describeEachDialect('search of common and rare terms comes newest first', (dialect) => {
  let t: TestDatabase;

  before(async () => {
    t = await createTestDatabase(dialect);
    // Every statement says 常见; every hundredth also says 稀有. The newest of each is indexed
    // but no longer published (a stale entry the search must never show).
    const numbers = Array.from({ length: COMMON + 1 }, (_, i) => i + 1);
    const rows = numbers.map((n) => publishedRow(n, n === COMMON + 1 ? 'retracted' : 'published'));
    for (let i = 0; i < rows.length; i += 200) await t.database.db.insertInto('submission').values(rows.slice(i, i + 200)).execute();
    const text = (n: number) => (n % 100 === 0 || n === COMMON + 1 ? '常见的话，稀有的话' : `常见的话 ${n}`);
    await indexStatements(t.database.db, dialect, numbers.map((n) => ({ registrationNumber: n, tokens: searchTokens([text(n)]) })));
  });
  after(() => t.cleanup());

  test('a term in more than a thousand statements pages newest first, without the unpublished one', async () => {
    const first = await searchStatements(t.database, '常见', 1, 20);
    assert.deepEqual(first.numbers, Array.from({ length: 20 }, (_, i) => COMMON - i));
    assert.equal(first.hasMore, true);
    const tenth = await searchStatements(t.database, '常', 10, 20);
    assert.deepEqual(tenth.numbers, Array.from({ length: 20 }, (_, i) => COMMON - 180 - i));
  });

  test('a rare term pages newest first, without the unpublished one', async () => {
    const all = Array.from({ length: COMMON / 100 }, (_, i) => COMMON - 100 * i);
    const first = await searchStatements(t.database, '稀有', 1, 5);
    assert.deepEqual(first, { empty: false, numbers: all.slice(0, 5), hasMore: true, highlight: ['稀有'] });
    const second = await searchStatements(t.database, '稀有 常见', 2, 5);
    assert.deepEqual(second.numbers, all.slice(5, 10));
    assert.equal(second.hasMore, true);
    assert.deepEqual((await searchStatements(t.database, '稀有', 3, 5)).numbers, all.slice(10));
  });

  test('a term that matches nothing answers at once with nothing', async () => {
    assert.deepEqual((await searchStatements(t.database, '没有 zzzz', 1, 20)).numbers, []);
  });
});
