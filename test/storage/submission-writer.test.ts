// The intake writer (src/storage/submission-writer.ts): on SQLite a thread with a connection of
// its own writes each group-commit batch; on PostgreSQL a Kysely transaction. Acknowledged must
// mean committed (promise 7), one bad item must not fail the others, a full queue must refuse
// with 503, and closing the database must stop the thread.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { buildSubmissionRecord } from '../../src/commands/submission-record.js';
import { ServiceError } from '../../src/domain/service-error.js';
import type { SubmissionDraft } from '../../src/domain/submission.js';
import { insertSubmissions, type SubmissionRecord } from '../../src/storage/submission.repository.js';
import { createSubmissionWriter } from '../../src/storage/submission-writer.js';
import { ORGANIZATIONS } from '../../src/domain/organizations.js';
import { createTestApp, postJson, validSubmission, type TestApp } from '../support/app.js';
import { expectedCounts, storedCounts, type ModelStatement } from '../support/count-model.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';

const REGIONS = ['440000', '510000', 'overseas', '110000'];

/** A record exactly as the app builds it; `n` varies the people, organisations and regions. */
async function record(n: number): Promise<SubmissionRecord> {
  const draft = {
    language: 'zh-hans',
    title: n % 3 === 0 ? null : `声明 ${n}`,
    text: `合成的测试声明，第 ${n} 份。`,
    contact: null,
    declarants: Array.from({ length: 1 + (n % 3) }, (_, i) => ({
      displayName: `测试者${n}-${i}`,
      nameKind: i % 2 === 0 ? 'pseudonym' : 'real',
      organizations: (['party', 'youth_league', 'young_pioneers'] as const).filter((_, k) => (n + i + k) % 2 === 0 || k === 2),
      region: REGIONS[(n + i) % REGIONS.length]!,
      occupation: i === 0 ? null : 'retired',
    })),
  } as unknown as SubmissionDraft;
  const { record } = await buildSubmissionRecord(draft, { channel: 'web', proofOfWork: n % 2 === 0, ageRecipients: [] });
  return record;
}

/** One record whose receipt hash collides with `other`'s: the unique index refuses it. */
async function conflicting(n: number, other: SubmissionRecord): Promise<SubmissionRecord> {
  const r = await record(n);
  return { ...r, submission: { ...r.submission, receipt_hash: other.submission.receipt_hash } };
}

async function dump(t: TestDatabase) {
  const db = t.database.db;
  return {
    submissions: await db.selectFrom('submission').selectAll().orderBy('id').execute(),
    declarants: await db.selectFrom('declarant').selectAll().orderBy('submission_id').orderBy('position').execute(),
    counts: (await db.selectFrom('daily_count').selectAll().orderBy('day').orderBy('metric').orderBy('dimension').orderBy('value').execute()).map(
      (c) => ({ ...c, n: Number(c.n) }),
    ),
  };
}

/** The columns `keys` of a row. */
function pick(row: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (row as Record<string, unknown>)[k]]));
}

/** A new record as the count model sees it: received, nothing else yet. */
function modelOf(r: SubmissionRecord): ModelStatement {
  const organizations = (d: SubmissionRecord['declarants'][number]) => ORGANIZATIONS.filter((o) => d[o] === 1);
  return { channel: r.submission.channel, people: r.declarants.map((d) => ({ region: d.region, organizations: organizations(d) })), status: 'pending', wasPublished: false };
}

describeEachDialect('submission writer', (dialect) => {
  let t: TestDatabase;
  let reference: TestDatabase;
  before(async () => {
    t = await createTestDatabase(dialect);
    reference = await createTestDatabase(dialect);
  });
  after(async () => {
    await t.cleanup();
    await reference.cleanup();
  });

  test('stores exactly the rows it was given, and the counts they imply', async () => {
    const records = await Promise.all(Array.from({ length: 40 }, (_, i) => record(i)));
    const writer = createSubmissionWriter(t.database, { maxBatch: 16, maxQueue: 1000 });
    await Promise.all(records.map((r) => writer.submit(r)));
    const written = await dump(t);
    // Every column the app gave, with its value (the rest are the tables' defaults) …
    const given = (row: object) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    assert.deepEqual(
      byId(written.submissions).map((row, i) => pick(row, Object.keys(given(byId(records.map((r) => r.submission))[i]!)))),
      byId(records.map((r) => r.submission)).map(given),
    );
    const declarantKey = (d: { submission_id: string; position: number }) => `${d.submission_id} ${String(d.position).padStart(3, '0')}`;
    const expectedDeclarants = records.flatMap((r) => r.declarants).sort((a, b) => (declarantKey(a) < declarantKey(b) ? -1 : 1));
    assert.deepEqual(
      [...written.declarants].sort((a, b) => (declarantKey(a) < declarantKey(b) ? -1 : 1)).map((row, i) => pick(row, Object.keys(given(expectedDeclarants[i]!)))),
      expectedDeclarants.map(given),
    );
    // … and the "received" counts, from the independent model (not countMoves).
    assert.deepEqual(await storedCounts(t.database), expectedCounts(records.map(modelOf)));
    if (dialect === 'sqlite') {
      // The writer thread has SQL of its own: it must store what the Kysely path stores.
      await reference.database.db.transaction().execute((trx) => insertSubmissions(trx, records));
      assert.deepEqual(written, await dump(reference));
    }
  });

  test('a batch with a bad item stores every other item, with its counts, and refuses the bad one whole', async () => {
    const first = await record(100);
    const writer = createSubmissionWriter(t.database, { maxBatch: 100, maxQueue: 100 });
    await writer.submit(first);
    const before = await dump(t);
    const good = await Promise.all([101, 102, 103, 104].map(record));
    const bad = await conflicting(105, first);
    const results = await Promise.allSettled([good[0]!, good[1]!, bad, good[2]!, good[3]!].map((r) => writer.submit(r)));
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const after = await dump(t);
    assert.equal(after.submissions.length, before.submissions.length + 4);
    assert.ok(!after.submissions.some((s) => s.id === bad.submission.id), 'the bad submission is not stored');
    assert.ok(!after.declarants.some((d) => d.submission_id === bad.submission.id), 'no partial write of the bad submission');
    const received = (counts: typeof before.counts) =>
      counts.filter((c) => c.metric === 'statements_received' && c.dimension === 'total').reduce((sum, c) => sum + c.n, 0);
    assert.equal(received(after.counts), received(before.counts) + 4, 'only the stored items moved the count');
  });
});

describeEachDialect('submission writer: acknowledged means committed', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(dialect, { groupCommit: { maxBatch: 8, maxQueue: 10_000 } });
  });
  after(() => t.close());

  test('at the moment a 201 is sent, another connection already sees the submission', async () => {
    // A reader of its own: on SQLite a separate connection to the file, on PostgreSQL the pool.
    const reader = dialect === 'sqlite' ? new SQLite(t.database.file!, { readonly: true }) : undefined;
    const lookup = reader?.prepare('select count(*) as n from submission where id = ?');
    const misses: string[] = [];
    try {
      await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const body = validSubmission({ text: `并发提交 ${i}` });
          const response = await postJson(t.app, '/api/v1/submissions', body);
          assert.equal(response.statusCode, 201, response.body);
          const { id } = response.json();
          // Checked synchronously as the answer arrives: an answer sent before COMMIT would be
          // seen here before the commit (the writer thread would still be flushing).
          if (lookup) {
            if ((lookup.get(id) as { n: number }).n !== 1) misses.push(id);
          } else {
            const row = await t.database.db.selectFrom('submission').select('id').where('id', '=', id).executeTakeFirst();
            if (!row) misses.push(id);
          }
        }),
      );
    } finally {
      reader?.close();
    }
    assert.deepEqual(misses, [], 'every acknowledged submission was committed before its answer');
  });
});

describeEachDialect('submission writer: held write lock', (dialect) => {
  if (dialect !== 'sqlite') return;
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase(dialect);
  });
  after(() => t.cleanup());

  test('nothing is acknowledged while the writer cannot commit; a full queue refuses with 503', async () => {
    const writer = createSubmissionWriter(t.database, { maxBatch: 4, maxQueue: 6 });
    // Warm up the thread, then take the write lock from another connection.
    await writer.submit(await record(1));
    const blocker = new SQLite(t.database.file!);
    blocker.pragma('busy_timeout = 5000');
    blocker.exec('begin immediate');
    let released = false;
    try {
      const records = await Promise.all([2, 3, 4, 5, 6, 7].map(record));
      let acknowledged = 0;
      const accepted = records.map((r) => writer.submit(r).then(() => acknowledged++));
      const refused = await writer.submit(await record(8)).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(refused instanceof ServiceError, 'the seventh item is refused at once');
      assert.equal(refused.code, 'unavailable');
      assert.equal(refused.status, 503);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(acknowledged, 0, 'nothing acknowledged while the transaction cannot commit');
      blocker.exec('rollback');
      released = true;
      await Promise.all(accepted);
      assert.equal(acknowledged, 6);
      const stored = await t.database.db.selectFrom('submission').select('id').execute();
      assert.equal(stored.length, 7);
    } finally {
      if (!released) blocker.exec('rollback');
      blocker.close();
    }
  });

  test('batches that queued up behind a commit are written together, and a bad item still fails alone', async () => {
    const writer = createSubmissionWriter(t.database, { maxBatch: 2, maxQueue: 100 });
    const first = await record(200);
    await writer.submit(first);
    const countBefore = await t.database.db.selectFrom('submission').select('id').execute();
    // While the write lock is held the batches (two items each) wait in the writer thread, which
    // then takes them into one transaction; the conflicting item makes that transaction fail.
    const blocker = new SQLite(t.database.file!);
    blocker.exec('begin immediate');
    const records = await Promise.all(Array.from({ length: 9 }, (_, i) => record(201 + i)));
    const items = [...records.slice(0, 5), await conflicting(210, first), ...records.slice(5)];
    const results = Promise.allSettled(items.map((r) => writer.submit(r)));
    await new Promise((r) => setTimeout(r, 100));
    blocker.exec('rollback');
    blocker.close();
    const settled = await results;
    assert.deepEqual(
      settled.map((r) => r.status),
      items.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')),
    );
    const stored = await t.database.db.selectFrom('submission').select('id').execute();
    assert.equal(stored.length, countBefore.length + 9);
    const received = await t.database.db
      .selectFrom('daily_count')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('metric', '=', 'statements_received')
      .where('dimension', '=', 'total')
      .executeTakeFirstOrThrow();
    assert.equal(Number(received.n), stored.length, 'counts moved once per stored submission');
  });

  test('transactions on the main connection wait for the writer instead of failing (BEGIN IMMEDIATE)', async () => {
    const writer = createSubmissionWriter(t.database, { maxBatch: 8, maxQueue: 10_000 });
    const target = await record(500);
    await writer.submit(target);
    const intake = Promise.all(
      Array.from({ length: 300 }, (_, i) => i).map(async (i) => writer.submit(await record(1000 + i))),
    );
    // Read, yield (so the writer thread commits in between), then write: a deferred transaction
    // would fail with SQLITE_BUSY_SNAPSHOT here.
    let updates = 0;
    for (let i = 0; i < 30; i++) {
      await t.database.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('submission').select('flagged').where('id', '=', target.submission.id).executeTakeFirstOrThrow();
        await new Promise((r) => setTimeout(r, 2));
        await trx.updateTable('submission').set({ flagged: 1 - row.flagged }).where('id', '=', target.submission.id).execute();
        updates++;
      });
    }
    await intake;
    assert.equal(updates, 30);
  });

  test('a steady stream of intake does not starve the main connection of the write lock', async () => {
    const writer = createSubmissionWriter(t.database, { maxBatch: 4, maxQueue: 100_000 });
    const target = await record(700);
    await writer.submit(target);
    const records = await Promise.all(Array.from({ length: 1500 }, (_, i) => record(2000 + i)));
    const intake = Promise.all(records.map((r) => writer.submit(r)));
    // Counted as they commit, from a connection of its own.
    const reader = new SQLite(t.database.file!, { readonly: true });
    const stored = () => (reader.prepare('select count(*) as n from submission').get() as { n: number }).n;
    // Not timed: how many intake transactions went by while the update waited for the write
    // lock. The thread lets a waiting connection in after the transaction it is in (4 items);
    // the bound leaves room for a few more that commit between the two reads. A starved
    // connection would wait for hundreds (for the whole intake).
    const wentBy: number[] = [];
    try {
      const start = stored();
      while (stored() < start + 10) await new Promise((r) => setImmediate(r));
      for (let i = 0; i < 20; i++) {
        const before = stored();
        await t.database.db.transaction().execute(async (trx) => {
          const locked = await trx.selectFrom('submission').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          wentBy.push(Number(locked.n) - before);
          await trx.updateTable('submission').set({ featured: i % 2 }).where('id', '=', target.submission.id).execute();
        });
      }
      await intake;
    } finally {
      reader.close();
    }
    assert.ok(Math.max(...wentBy) <= 40, `intake items committed while the main connection waited for the lock: ${wentBy.join(' ')}`);
  });
});

describeEachDialect('submission writer: closing the database', (dialect) => {
  if (dialect !== 'sqlite') return;
  test('close() lets a batch in flight finish, then stops the thread; later writes are refused', async () => {
    const t = await createTestDatabase(dialect);
    const writer = createSubmissionWriter(t.database, { maxBatch: 8, maxQueue: 100 });
    const records = await Promise.all([1, 2, 3].map(record));
    const inFlight = Promise.all(records.map((r) => writer.submit(r)));
    // One turn of the event loop: the batch is formed and sent to the thread (no sleeping, so
    // that a slow machine cannot make the batch arrive after close()).
    await new Promise((r) => setImmediate(r));
    await t.database.close();
    await inFlight;
    await assert.rejects(writer.submit(await record(4)));
    const reopened = new SQLite(t.database.file!, { readonly: true });
    assert.equal((reopened.prepare('select count(*) as n from submission').get() as { n: number }).n, 3);
    reopened.close();
    fs.rmSync(t.dataDir, { recursive: true, force: true });
  });
});
