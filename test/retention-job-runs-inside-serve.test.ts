// The retention job runs inside `serve` on its own (actor `system`) and stops with the server;
// `rcenter purge [--dry-run]` runs it on demand with a summary.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { rejectSubmissions } from '../src/commands/submission-rejecter.js';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { createTestApp, type TestApp } from './support/app.js';
import { describeEachDialect } from './support/databases.js';
import { runCli, type CliResult } from './support/server-process.js';
import { addStaff, auditRows, submitPublic } from './staff/staff-fixtures.js';

const DAY = 86_400_000;
const show = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

/** Moves a submission's status change back in time (the counts are not the point here). */
async function age(t: TestApp, id: string, days: number) {
  await t.database.db.updateTable('submission').set({ updated_at: new Date(Date.now() - days * DAY).toISOString() }).where('id', '=', id).execute();
}

describeEachDialect('the retention job inside serve', (dialect) => {
  let t: TestApp;
  const ids: string[] = [];

  before(async () => {
    t = await createTestApp(dialect);
    const editor = await addStaff(t.database, 'job-editor', 'editor');
    for (let i = 0; i < 3; i++) ids.push((await submitPublic(t.app)).id);
    await rejectSubmissions(t.database, ids, 'spam', editor.member);
    await age(t, ids[0]!, 31);
    await age(t, ids[1]!, 10);
  });
  after(() => t.close());

  test('purges what expired as actor system, keeps the rest, and stops on close', async () => {
    const env = { DATA_DIR: t.dataDir, ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}), PORT: '0' };
    const server = await startServer({ ...loadConfig(env), logLevel: 'silent' }, { retention: { firstRunMs: 0, intervalMs: 50 } });
    try {
      const remaining = async () => (await t.database.db.selectFrom('submission').select('id').execute()).map((r) => r.id).sort();
      // Polled (the job is another timer of the server); up to a minute, so that a busy machine is not a failure.
      for (let i = 0; i < 1200 && (await remaining()).length === 3; i++) await sleep(50);
      assert.deepEqual(await remaining(), [ids[1]!, ids[2]!].sort());
      await sleep(200);
    } finally {
      await server.close();
    }
    const entries = await auditRows(t.database, 'retention.purge');
    assert.equal(entries.length, 1, 'runs with nothing to do write no entry');
    assert.equal(entries[0]!.actor, 'system');
    assert.deepEqual(JSON.parse(entries[0]!.details!), { submissions: 1, persons: 1, contacts: 0, retracted: 0, edits: 0, messages: 0 });
  });

  test('rcenter purge --dry-run says what would go; rcenter purge deletes it and says so', async () => {
    const env = { DATA_DIR: t.dataDir, DATABASE_URL: t.databaseUrl, RETENTION_REJECTED_DAYS: '5' };
    const dry = await runCli(['purge', '--dry-run'], env);
    assert.equal(dry.code, 0, show(dry));
    assert.match(dry.stdout, /would delete 1 \(1 persons\)/);
    assert.match(dry.stdout, /dry run: nothing was changed/);
    assert.equal((await t.database.db.selectFrom('submission').select('id').execute()).length, 2);
    const run = await runCli(['purge'], env);
    assert.equal(run.code, 0, show(run));
    assert.match(run.stdout, /5 days\): deleted 1 \(1 persons\)/);
    assert.match(run.stdout, /answered messages \(180 days\): deleted 0/);
    assert.match(run.stdout, /retracted statements' text, title, names and contact \(retracted before [^,]+, 7 days\): erased 0 \(they stay counted as retracted\)/);
    assert.match(run.stdout, /redacted originals of published statements \(published before [^,]+, 30 days\): deleted 0/);
    assert.deepEqual((await t.database.db.selectFrom('submission').select('id').execute()).map((r) => r.id), [ids[2]!]);
    assert.equal((await auditRows(t.database, 'retention.purge')).at(-1)!.actor, 'cli');
    const bad = await runCli(['purge'], { ...env, RETENTION_CONTACT_DAYS: '0' });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /RETENTION_CONTACT_DAYS must be a whole number from 1 to 36500/);
  });
});
