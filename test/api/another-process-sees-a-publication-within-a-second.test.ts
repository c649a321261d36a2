// Two app processes on one database (several app processes behind a load balancer): a page the
// second one holds in its cache is dropped once the first publishes, because both follow the
// publication log's head — within a second, with no message between them. A change made by hand,
// without an event, is not seen while the page is cached: the cache follows the log, not a clock.
// (The counter follows the transparency log's latest checkpoint, which the first process's
// sequencer signs: drained here, so the second sees it at its next request.)
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { buildApp } from '../../src/web/app.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, submitPublic, type TestStaff } from '../staff/staff-fixtures.js';

describeEachDialect('another app process on the same database sees a publication within a second', (dialect) => {
  let first: TestApp;
  let secondDatabase: Database;
  let second: FastifyInstance;
  let editor: TestStaff;

  before(async () => {
    first = await createTestApp(dialect);
    editor = await addStaff(first.database, 'other-process-editor', 'editor');
    // Its own connections (SQLite: its own read-only connection too) and its own caches.
    secondDatabase = openDatabase({ databaseUrl: first.databaseUrl, dataDir: first.dataDir, poolSize: 3 });
    second = await buildApp(first.config, secondDatabase, { logStream: new Writable({ write: (_c, _e, done) => done() }) });
    await second.ready();
  });
  after(async () => {
    await second.close();
    await secondDatabase.close();
    await first.close();
  });

  const total = async () => (await second.inject({ method: 'GET', url: '/api/v1/stats' })).json().total as number;
  const latest = async () => (await second.inject({ method: 'GET', url: '/en/statements' })).body;

  test('its cached pages change at the first request after the commit, and hand-made changes wait for the log', async () => {
    const one = await submitPublic(first.app, { title: '第一份' });
    await approveSubmissions(first.database, [one.id], editor.member);
    await first.app.logSequencer.drain();
    // Asked twice: cached in the second process from now on.
    await total();
    assert.equal(await total(), 1);
    await latest();
    assert.match(await latest(), /第一份/);

    // No event: the second process keeps serving what it cached, however long (no lifetime runs
    // out within the test: the cache's lifetime is 10 s and this takes milliseconds).
    await first.database.db.updateTable('submission').set({ title: '手改的标题' }).where('id', '=', one.id).execute();
    assert.match(await latest(), /第一份/, 'a change without an event reached a cached page');

    const two = await submitPublic(first.app, { title: '第二份' });
    await approveSubmissions(first.database, [two.id], editor.member);
    await first.app.logSequencer.drain();
    const committed = performance.now();
    // Polled with a deadline, never slept for: the head is read at every request (SQLite) or by
    // the next read that starts after it (PostgreSQL), so the first answer should already show it.
    let seen = 0;
    let polls = 0;
    while (performance.now() - committed < 1_000) {
      polls++;
      if ((seen = await total()) === 2) break;
    }
    assert.equal(seen, 2, `the second process still counted ${seen} a second after the publication (${polls} polls)`);
    assert.equal(polls, 1, 'seen at the first request after the commit');
    const page = await latest();
    assert.match(page, /第二份/);
    assert.match(page, /手改的标题/, 'the whole cache was dropped, not only one page');
  });
});
