// The log sequencer (src/commands/log/log-sequencer*.ts): every event integrated exactly once,
// also by two app processes on one database; a backlog in bounded batches; a checkpoint signed
// within a second of a publication in this process and in another; and once the log holds
// every event, its tally agrees with the rollups (`rcenter recount`).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fillDemo } from '../../src/commands/demo-filler.js';
import { logIdentity, logOrigin, type LogKey } from '../../src/commands/log/log-identity.js';
import { integrateBatch, integratePending } from '../../src/commands/log/log-sequencer.js';
import { checkLogTally } from '../../src/commands/log/log-tally-check.js';
import { readEntryBundle } from '../../src/commands/log/log-tiles.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { readPublicationHead } from '../../src/storage/publication/publication-log.repository.js';
import { generateKey, storedHashCount } from '../../src/tlog/index.js';
import { buildApp } from '../../src/web/app.js';
import { testConfig } from '../support/app.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { readServedLog, servedCheckpoint } from '../support/log-client.js';
import { addStaff, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';
import { ReferenceTree } from '../tlog/support/merkle-reference.js';

describeEachDialect('the log sequencer integrates each event once', (dialect) => {
  let base: TestDatabase;
  let second: Database;
  let one: FastifyInstance;
  let two: FastifyInstance;
  let editor: TestStaff;
  const origin = logOrigin(undefined);
  const { signerKey, verifierKey } = generateKey(origin);
  const key: LogKey = { signer: signerKey, verifier: verifierKey };

  before(async () => {
    base = await createTestDatabase(dialect);
    // A second process: its own connections (pool, or SQLite handles) to the same database.
    const config = testConfig(base);
    second = openDatabase({ databaseUrl: base.databaseUrl, dataDir: base.dataDir, poolSize: 5 });
    one = await buildApp(config, base.database, { logKey: key, logSequencer: { pollMs: 50 } });
    two = await buildApp(config, second, { logKey: key, logSequencer: { pollMs: 50 } });
    editor = await addStaff(base.database, 'sequencer-editor', 'editor');
  });
  after(async () => {
    await one.close();
    await two.close();
    await second.close();
    await base.cleanup();
  });

  const storedIndexes = async () => (await base.database.db.selectFrom('log_hash').select('idx').orderBy('idx').execute()).map((r) => Number(r.idx));
  const checkpointSizes = async () => (await base.database.db.selectFrom('log_checkpoint').select('size').orderBy('size').execute()).map((r) => Number(r.size));

  test('a backlog (the demo) is integrated in bounded batches: no checkpoint more than a batch past the one before', async () => {
    await fillDemo(base.database, { people: 900, seed: 7, append: false });
    const head = await readPublicationHead(base.database);
    const writes: number[] = [];
    for (let r = await integrateBatch(base.database, logIdentity(origin, key), 200); r.integrated > 0; r = await integrateBatch(base.database, logIdentity(origin, key), 200)) {
      assert.ok(r.integrated <= 200);
      writes.push(r.writeMs);
    }
    // Only the writes are in the transaction (everything is computed before it): a few
    // milliseconds for 200 events; the bound leaves room for a loaded machine.
    assert.ok(Math.max(...writes) < 500, `a batch held its transaction ${Math.max(...writes).toFixed(0)} ms`);
    assert.equal(await integratePending(base.database, logIdentity(origin, key)), 0, 'nothing left');
    const sizes = await checkpointSizes();
    assert.deepEqual(sizes, [...Array.from({ length: Math.ceil(head / 200) }, (_, i) => Math.min(head, (i + 1) * 200))]);
    assert.deepEqual(await storedIndexes(), Array.from({ length: storedHashCount(head) }, (_, i) => i));
    // Every full entry bundle is stored once, though batches of 200 end inside bundles of 256,
    // and is the bundle the events encode to (what a log integrated before storing them serves).
    const bundles = await base.database.db.selectFrom('log_entry_bundle').select(['tile_index', 'data']).orderBy('tile_index').execute();
    assert.ok(head >= 2 * 256, `the demo makes ${head} events: enough for several bundles`);
    assert.deepEqual(bundles.map((b) => Number(b.tile_index)), Array.from({ length: Math.floor(head / 256) }, (_, i) => i));
    await base.database.db.deleteFrom('log_entry_bundle').execute();
    for (const bundle of bundles) {
      const tile = { level: 0, index: Number(bundle.tile_index), width: 256 };
      assert.deepEqual(Buffer.from(await readEntryBundle(base.database, tile)), Buffer.from(bundle.data), `bundle ${tile.index}`);
    }
    await base.database.db.insertInto('log_entry_bundle').values(bundles).execute();
  });

  test('two app processes integrating at once, in the background and drained: every event once, no gap in the stored hashes', async () => {
    one.logSequencer.start();
    two.logSequencer.start();
    const published: Promise<unknown>[] = [];
    for (let round = 0; round < 8; round++) {
      const ids = [(await submitPublic(one)).id, (await submitPublic(two)).id, (await submitPublic(one)).id];
      published.push(approveSubmissions(round % 2 === 0 ? base.database : second, ids, editor.member));
      if (round % 3 === 0) published.push(one.logSequencer.drain(), two.logSequencer.drain());
    }
    await Promise.all(published);
    await Promise.all([one.logSequencer.drain(), two.logSequencer.drain()]);
    const head = await readPublicationHead(base.database);
    assert.deepEqual(await storedIndexes(), Array.from({ length: storedHashCount(head) }, (_, i) => i), 'each stored hash once, none missing');
    const sizes = await checkpointSizes();
    assert.equal(sizes.at(-1), head);
    assert.deepEqual(sizes, [...new Set(sizes)].sort((a, b) => a - b));
    // Every checkpoint either process signed is a prefix of the one log.
    const log = await readServedLog(two);
    const reference = new ReferenceTree(log.entries);
    const roots = await base.database.db.selectFrom('log_checkpoint').select(['size', 'root_hash']).execute();
    for (const row of roots) assert.deepEqual(Buffer.from(row.root_hash), Buffer.from(reference.mth(0, Number(row.size))), `checkpoint ${row.size}`);
  });

  test('a checkpoint is signed within a second of a publication: in this process (woken) and in another (polled)', async () => {
    await one.logSequencer.stop();
    for (const [publisher, label] of [[second, 'this process'], [base.database, 'another process']] as const) {
      const before = (await servedCheckpoint(two)).checkpoint.size;
      const submitted = await submitPublic(two);
      const started = performance.now();
      await approveSubmissions(publisher, [submitted.id], editor.member);
      for (;;) {
        if ((await servedCheckpoint(two)).checkpoint.size > before) break;
        assert.ok(performance.now() - started < 1_000, `${label}: no checkpoint within a second`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  });

  test('once the log holds every event, its tally agrees with the rollups; drift is reported; a log behind is not compared', async () => {
    const submitted = await submitPublic(two);
    await approveSubmissions(base.database, [submitted.id], editor.member);
    await two.logSequencer.stop();
    const retracted = await submitPublic(two);
    await approveSubmissions(base.database, [retracted.id], editor.member);
    await retractStatement(base.database, retracted.receipt);
    const behind = await checkLogTally(base.database);
    assert.ok(behind.behind > 0 || behind.differences.length === 0);
    await two.logSequencer.drain();
    assert.deepEqual(await checkLogTally(base.database), { size: await readPublicationHead(base.database), behind: 0, differences: [] });
    await base.database.db.updateTable('daily_count').set((eb) => ({ n: eb('n', '+', 1) })).where('metric', '=', 'persons_published').where('dimension', '=', 'region').where('value', '=', '440000').execute();
    const drift = await checkLogTally(base.database);
    assert.ok(drift.differences.some((d) => d.figure === 'region=440000' && d.rollups > d.log), JSON.stringify(drift.differences));
  });

  test('a sequencer with another key signs the latest checkpoint again before anything else, so it verifies with the served key', async () => {
    const before = (await servedCheckpoint(one)).checkpoint;
    const other = generateKey(origin);
    const three = await buildApp(testConfig(base), base.database, { logKey: { signer: other.signerKey, verifier: other.verifierKey } });
    try {
      await assert.rejects(servedCheckpoint(three), 'the old key’s note does not open with the new key');
      assert.equal(await three.logSequencer.drain(), 0, 'nothing new to integrate');
      const { checkpoint } = await servedCheckpoint(three);
      assert.deepEqual([checkpoint.size, Buffer.from(checkpoint.rootHash)], [before.size, Buffer.from(before.rootHash)]);
    } finally {
      await three.close();
    }
  });
});
