// `rcenter recount` as operators run it: a demo database recounts clean; a drifted cell is
// printed and makes the exit code 1; --repair fixes it and the next run is clean again.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openDatabase } from '../src/storage/database.js';
import { runCli, type CliResult } from './support/server-process.js';

const show = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-recount-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

test('rcenter recount finds drift, exits 1, and --repair puts it right', async () => {
  const env = { DATA_DIR: dataDir, DATABASE_URL: undefined };
  const demo = await runCli(['demo', '--people', '200'], env, 120_000);
  assert.equal(demo.code, 0, show(demo));
  const clean = await runCli(['recount'], env);
  assert.equal(clean.code, 0, show(clean));
  assert.match(clean.stdout, /counts match the recount of \d+ statements/);

  const database = openDatabase({ dataDir });
  await database.db.updateTable('daily_count').set({ n: 999_999 }).where('metric', '=', 'persons_published').where('dimension', '=', 'total').execute();
  await database.close();

  const drift = await runCli(['recount'], env);
  assert.equal(drift.code, 1, show(drift));
  assert.match(drift.stdout, /persons_published total: stored 999999, recounted \d+/);
  assert.match(drift.stderr, /differ from the recount.*--repair/);

  const repair = await runCli(['recount', '--repair'], env);
  assert.equal(repair.code, 0, show(repair));
  assert.match(repair.stdout, /repaired \d+ cells/);
  assert.equal((await runCli(['recount'], env)).code, 0);
  const help = await runCli(['recount', '--help'], env);
  assert.match(help.stdout, /--repair/);
});
