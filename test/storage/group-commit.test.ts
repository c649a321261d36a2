import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ServiceError } from '../../src/domain/service-error.js';
import { GroupCommit } from '../../src/storage/group-commit.js';
import { insertSubmissions, type SubmissionRecord } from '../../src/storage/submission.repository.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('group commit', () => {
  test('requests that arrive together share one write, and none is answered before it finishes', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const writer = new GroupCommit<number>(async (items) => {
      batches.push(items);
      await gate.promise;
    }, { maxBatch: 1000, maxQueue: 1000 });
    let answered = 0;
    const all = Array.from({ length: 50 }, (_, i) => writer.submit(i).then(() => answered++));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.equal(batches.length, 1, 'one write for 50 concurrent items');
    assert.equal(batches[0]!.length, 50);
    assert.equal(answered, 0, 'nobody is acknowledged before the write returns');
    gate.resolve();
    await Promise.all(all);
    assert.equal(answered, 50);
  });

  test('batches are cut at maxBatch, and items arriving during a write form the next batch', async () => {
    const batches: number[] = [];
    let later: Promise<void>[] = [];
    const writer = new GroupCommit<number>(async (items) => {
      batches.push(items.length);
      // Three more arrive while the first batch is being written (not after a sleep: timers
      // would decide whether they come during the write).
      if (batches.length === 1) later = Array.from({ length: 3 }, (_, i) => writer.submit(100 + i));
      await new Promise((r) => setImmediate(r));
    }, { maxBatch: 10, maxQueue: 1000 });
    const first = Array.from({ length: 25 }, (_, i) => writer.submit(i));
    await Promise.all(first);
    await Promise.all(later);
    // 25 at once, 3 more during the first write: they join the queue behind the first 25.
    assert.deepEqual(batches, [10, 10, 8]);
  });

  test('one bad item fails alone; the rest of its batch is still written', async () => {
    const written: number[] = [];
    const writer = new GroupCommit<number>(async (items) => {
      if (items.includes(13)) throw new Error('bad item');
      written.push(...items);
    }, { maxBatch: 100, maxQueue: 100 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => writer.submit(i)));
    assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
    assert.equal((results[13] as PromiseRejectedResult).reason.message, 'bad item');
    assert.equal(written.length, 19);
  });

  test('with maxInFlight, batches are handed on while earlier ones are still being written; the limit counts them', async () => {
    const gates = [deferred(), deferred(), deferred()];
    const started: number[][] = [];
    const writer = new GroupCommit<number>(async (items) => {
      started.push(items);
      await gates[started.length - 1]!.promise;
    }, { maxBatch: 100, maxQueue: 5, maxInFlight: 2 });
    const first = [writer.submit(1), writer.submit(2)];
    await new Promise((r) => setImmediate(r));
    const second = [writer.submit(3), writer.submit(4)];
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, [[1, 2], [3, 4]], 'the second batch starts before the first is answered');
    const third = writer.submit(5);
    await new Promise((r) => setImmediate(r));
    assert.equal(started.length, 2, 'no third batch while two are in flight');
    assert.equal(writer.pending, 5);
    const refused = await writer.submit(6).then(() => null, (e: unknown) => e);
    assert.ok(refused instanceof ServiceError && refused.code === 'unavailable', 'items being written count against maxQueue');
    gates[1]!.resolve();
    await Promise.all(second);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started[2], [5], 'a freed slot takes the waiting items');
    gates[0]!.resolve();
    gates[2]!.resolve();
    await Promise.all([...first, third]);
    assert.equal(writer.pending, 0);
  });

  test('a full queue refuses at once with 503 unavailable instead of growing', async () => {
    const gate = deferred();
    const writer = new GroupCommit<number>(() => gate.promise, { maxBatch: 2, maxQueue: 5 });
    const accepted = Array.from({ length: 5 }, (_, i) => writer.submit(i));
    const refused = await writer.submit(99).then(() => null, (e: unknown) => e);
    assert.ok(refused instanceof ServiceError);
    assert.equal(refused.code, 'unavailable');
    assert.equal(refused.status, 503);
    assert.ok(refused.retryAfterSeconds! > 0);
    gate.resolve();
    await Promise.all(accepted);
  });
});

function record(id: string, receiptHash: string): SubmissionRecord {
  const now = new Date().toISOString();
  return {
    submission: {
      id, receipt_hash: receiptHash, language: 'en', title: null, text: null, contact_ciphertext: null, status: 'pending',
      channel: 'web', proof_of_work: 0, flagged: 1, received_at: now, updated_at: now, registration_number: null,
      published_at: null, reviewed_by: null, reject_reason: null, duplicate_of: null, featured: 0, consent: 0, entered_by: null, text_indexed: 0,
    },
    declarants: [{ submission_id: id, position: 0, display_name: `n-${id}`, name_kind: 'pseudonym', party: 1, youth_league: 0, young_pioneers: 0, region: 'overseas', occupation: null, name_key: `n${id}`, published_number: null }],
  };
}

describeEachDialect('group commit on a real database', (dialect) => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase(dialect);
  });
  after(() => t.cleanup());

  test('a batch with a conflicting row stores every other row, and the bad one is refused whole', async () => {
    const writer = new GroupCommit<SubmissionRecord>(
      (records) => t.database.db.transaction().execute((trx) => insertSubmissions(trx, records)),
      { maxBatch: 100, maxQueue: 100 },
    );
    await writer.submit(record('first', 'hash-shared'));
    const results = await Promise.allSettled([
      writer.submit(record('a', 'hash-a')),
      writer.submit(record('dup', 'hash-shared')),
      writer.submit(record('b', 'hash-b')),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    const ids = (await t.database.db.selectFrom('submission').select('id').orderBy('id').execute()).map((r) => r.id);
    assert.deepEqual(ids, ['a', 'b', 'first']);
    const declarants = await t.database.db.selectFrom('declarant').select('submission_id').where('submission_id', '=', 'dup').execute();
    assert.equal(declarants.length, 0, 'no partial write of the refused submission');
  });

  test('more rows than one INSERT may carry are written in one transaction', async () => {
    const writer = new GroupCommit<SubmissionRecord>(
      (records) => t.database.db.transaction().execute((trx) => insertSubmissions(trx, records)),
      { maxBatch: 2000, maxQueue: 2000 },
    );
    await Promise.all(Array.from({ length: 1200 }, (_, i) => writer.submit(record(`bulk-${i}`, `bulk-hash-${i}`))));
    const row = await t.database.db.selectFrom('submission').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'like', 'bulk-%').executeTakeFirstOrThrow();
    assert.equal(Number(row.n), 1200);
  });
});
