// `rcenter verify` against the real service (not the synthetic log of the other verify tests):
// the demo, live publications, a featuring and a retraction, read over HTTP from `serve`, on both
// databases. Then the attacks the log exists to catch, made on the center's own database: a
// published statement's text altered, the count inflated, a retracted statement served again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fillDemo } from '../../src/commands/demo-filler.js';
import { httpLogSource } from '../../src/commands/log-source.js';
import { verifyLog, type VerifyResult } from '../../src/commands/log-verifier.js';
import { featureStatement } from '../../src/commands/publication/statement-featurer.js';
import { retractStatement } from '../../src/commands/publication/statement-retractor.js';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { generateKey } from '../../src/tlog/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { addStaff, submitPublic } from '../staff/staff-fixtures.js';

const key = generateKey('renunciation-center.example/log');
const failed = (result: VerifyResult) => result.lines.filter((l) => l.ok === false).map((l) => `${l.check}: ${l.detail}`);

describeEachDialect('the real center verifies', (dialect) => {
  let t: TestApp;
  let server: RunningServer;
  let url: string;
  let retracted: { number: number; id: string; receipt: string };
  let published: number;

  before(async () => {
    t = await createTestApp(dialect);
    await fillDemo(t.database, { people: 300, seed: 7, append: false });
    const editor = await addStaff(t.database, 'verify-editor', 'editor');
    const numbers: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const submitted = await submitPublic(t.app);
      const [row] = await approveSubmissions(t.database, [submitted.id], editor.member);
      numbers.push(row!.registrationNumber);
      ids.push(submitted.id);
      if (i === 0) retracted = { number: row!.registrationNumber, id: submitted.id, receipt: submitted.receipt };
    }
    published = numbers[1]!;
    await featureStatement(t.database, ids[2]!, true, editor.member);
    await retractStatement(t.database, retracted.receipt);
    // The work budget would slow this one reader down (it reads every day's list); that a
    // verifier waits out its refusals is tested on its own below.
    const env = { DATA_DIR: t.dataDir, ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}), PORT: '0', RATE_LIMITS: 'off' };
    server = await startServer({ ...loadConfig(env), logLevel: 'silent' }, { logKey: { signer: key.signerKey, verifier: key.verifierKey } });
    url = server.address;
    await server.app.logSequencer.drain();
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  const verify = () => verifyLog(httpLogSource(url), { key: key.verifierKey });

  test('an honest center passes every check', async () => {
    const result = await verify();
    assert.deepEqual(failed(result), []);
    assert.equal(result.ok, true);
    assert.ok(result.lines.some((l) => l.check === 'statements' && l.ok === true));
  });

  test('a published statement whose text was altered in the database fails its commitment', async () => {
    const row = await t.database.db.selectFrom('submission').select(['id', 'text']).where('registration_number', '=', published).executeTakeFirstOrThrow();
    await t.database.db.updateTable('submission').set({ text: `${row.text} (altered)` }).where('id', '=', row.id).execute();
    server.app.forgetCachedPages();
    try {
      const result = await verify();
      assert.equal(result.ok, false);
      assert.ok(failed(result).some((f) => f.startsWith('statements') && f.includes(String(published))) || failed(result).some((f) => f.startsWith('statements')), failed(result).join('\n'));
    } finally {
      await t.database.db.updateTable('submission').set({ text: row.text }).where('id', '=', row.id).execute();
      server.app.forgetCachedPages();
    }
  });

  test('a count inflated where the API reads it fails the count check', async () => {
    const state = await t.database.db.selectFrom('log_state').select(['tally']).where('id', '=', 1).executeTakeFirstOrThrow();
    const tally = JSON.parse(state.tally) as { total: number };
    await t.database.db.updateTable('log_state').set({ tally: JSON.stringify({ ...tally, total: tally.total + 1000 }) }).where('id', '=', 1).execute();
    server.app.forgetCachedPages();
    try {
      const result = await verify();
      assert.equal(result.ok, false);
      assert.ok(failed(result).some((f) => f.startsWith('count')), failed(result).join('\n'));
    } finally {
      await t.database.db.updateTable('log_state').set({ tally: state.tally }).where('id', '=', 1).execute();
      server.app.forgetCachedPages();
    }
  });

  test('a retracted statement served again fails', async () => {
    await t.database.db.updateTable('submission').set({ status: 'published' }).where('id', '=', retracted.id).execute();
    server.app.forgetCachedPages();
    try {
      const result = await verify();
      assert.equal(result.ok, false);
      assert.ok(failed(result).some((f) => f.startsWith('statements')), failed(result).join('\n'));
    } finally {
      await t.database.db.updateTable('submission').set({ status: 'retracted' }).where('id', '=', retracted.id).execute();
      server.app.forgetCachedPages();
    }
    assert.equal((await verify()).ok, true, 'honest again');
  });
});
