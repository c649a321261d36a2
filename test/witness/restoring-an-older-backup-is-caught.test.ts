// Threat: a log rolled back. The center restores a backup made before its latest publications
// (by accident, or to make a statement disappear without a retraction). Its log then ends
// earlier than the one witnesses cosigned, and every new checkpoint would fork from what they,
// mirrors and readers saw. `rcenter restore` asks the witnesses (WITNESSES) what they last
// cosigned and refuses to call the restored database good: exit 1, saying what happened and
// what to do. Both databases, a real witness on a real port, the real CLI.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { collectCosignatures } from '../../src/commands/witness-collector.js';
import { readLatestCheckpoint, readStoredHashes } from '../../src/storage/log/transparency-log.repository.js';
import { findPostgresTool } from '../../src/storage/postgres-backup.repository.js';
import { generateKey } from '../../src/tlog/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { runCli, type CliResult } from '../support/server-process.js';
import { addStaff, submitPublic } from '../staff/staff-fixtures.js';
import { openTestWitness, type TestWitness } from './support/witness-fixture.js';

const ORIGIN = 'renunciation-center.example/log';
const show = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

describeEachDialect('restoring an older backup is caught', (dialect) => {
  const skip = dialect === 'postgres' && !findPostgresTool('pg_dump') ? 'pg_dump is not installed' : false;
  const key = generateKey(ORIGIN);
  let t: TestApp;
  let witness: TestWitness;
  let witnessUrl: string;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-rollback-'));

  before(async () => {
    t = await createTestApp(dialect, {}, { logKey: { signer: key.signerKey, verifier: key.verifierKey } });
    witness = await openTestWitness([{ origin: ORIGIN, verifierKey: key.verifierKey }]);
    witnessUrl = await witness.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await witness.close();
    await t.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('rcenter restore of a backup behind what the witness cosigned exits 1 and says the log would fork', { skip, timeout: 240_000 }, async () => {
    const witnesses = [{ url: witnessUrl, verifierKey: witness.verifierKey }];
    const hashes = { readHashes: (indexes: readonly number[]) => readStoredHashes(t.database.db, indexes) };
    const editor = await addStaff(t.database, 'rollback-editor', 'editor');
    const publishAndCosign = async () => {
      const submitted = await submitPublic(t.app);
      await approveSubmissions(t.database, [submitted.id], editor.member);
      await t.app.logSequencer.drain();
      const latest = (await readLatestCheckpoint(t.database))!;
      const [outcome] = await collectCosignatures({ database: t.database, witnesses, hashes }, latest);
      assert.equal(outcome!.outcome, 'cosigned');
      return latest.size;
    };
    await publishAndCosign();
    await publishAndCosign();
    const env = { DATA_DIR: t.dataDir, DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'warn' };
    const file = path.join(scratch, `${dialect}.backup`);
    const backup = await runCli(['backup', file], env, 120_000);
    assert.equal(backup.code, 0, show(backup));
    const cosigned = await publishAndCosign();

    const restoredDir = path.join(scratch, 'restored');
    let restoreUrl: string | undefined;
    if (dialect === 'postgres') {
      const name = `rc_rollback_${randomBytes(5).toString('hex')}`;
      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      await client.query(`create database ${name}`);
      await client.end();
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      restoreUrl = url.toString();
    }
    const restore = await runCli(['restore', file], { DATA_DIR: restoredDir, DATABASE_URL: restoreUrl, WITNESSES: `${witnessUrl} ${witness.verifierKey}` }, 120_000);
    assert.equal(restore.code, 1, show(restore));
    assert.match(restore.stdout, new RegExp(`ends at entry ${cosigned - 1}`));
    assert.match(restore.stdout, /ahead of the log/);
    assert.match(restore.stderr, /longer log than this backup holds/);
    assert.match(restore.stderr, /fork/);
  });
});
