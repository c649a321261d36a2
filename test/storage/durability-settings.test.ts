// Promise 7 ("acknowledged means durable") rests on settings no crash test can see: a SIGKILL
// leaves unflushed pages with the operating system, so `synchronous = NORMAL` would pass every
// kill test and still lose acknowledged submissions in a power cut. So the settings are checked
// where they take effect: on SQLite the main connection and the intake writer thread's own
// connection (which does every intake COMMIT); on PostgreSQL the app's sessions.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';

/** PRAGMA synchronous: 2 is FULL (fsync of the WAL at every COMMIT), 1 NORMAL, 0 OFF. */
const FULL = 2;

describeEachDialect('durability settings', (dialect) => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase(dialect);
  });
  after(async () => t.cleanup());

  if (dialect === 'sqlite') {
    test('the main connection: WAL, synchronous = FULL, foreign keys on', async () => {
      const read = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(t.database.db)).rows[0] as object)[0];
      assert.equal(await read('journal_mode'), 'wal');
      assert.equal(await read('synchronous'), FULL);
      assert.equal(await read('foreign_keys'), 1);
    });

    test('the intake writer thread, which commits every submission: WAL, synchronous = FULL, foreign keys on', async () => {
      const settings = await t.database.intakeWriter!.settings();
      assert.deepEqual(settings, { journal_mode: 'wal', synchronous: FULL, foreign_keys: 1 });
    });
  } else {
    test('the app’s sessions commit synchronously (synchronous_commit = on)', async () => {
      const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(t.database.db);
      assert.equal(rows[0]?.synchronous_commit, 'on');
    });
  }
});
