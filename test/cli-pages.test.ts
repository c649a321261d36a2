// `rcenter pages` as operators run it: every published statement's page stored in every locale,
// nothing left to do the second time, a bad --batch refused before anything is written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openDatabase } from '../src/storage/database.js';
import { runCli, type CliResult } from './support/server-process.js';

const show = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-pages-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

test('rcenter pages stores every published statement page once, and refuses a bad --batch', async () => {
  const env = { DATA_DIR: dataDir, DATABASE_URL: undefined };
  const demo = await runCli(['demo', '--people', '150'], env, 120_000);
  assert.equal(demo.code, 0, show(demo));

  const bad = await runCli(['pages', '--batch', '0'], env);
  assert.equal(bad.code, 1, show(bad));
  assert.match(bad.stderr, /--batch.*whole number from 1 to 200/);
  assert.equal((await runCli(['pages', '--batch', '201'], env)).code, 1);

  const first = await runCli(['pages', '--batch', '7'], env, 120_000);
  assert.equal(first.code, 0, show(first));
  const match = /stored (\d+) pages of (\d+) statements \(build [\w-]+\)/.exec(first.stdout);
  assert.ok(match, show(first));
  const database = openDatabase({ dataDir });
  try {
    const published = await database.db.selectFrom('submission').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'published').executeTakeFirstOrThrow();
    const stored = await database.db.selectFrom('statement_page').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.ok(Number(published.n) > 0);
    assert.equal(Number(match[2]), Number(published.n));
    assert.equal(Number(match[1]), 3 * Number(published.n));
    assert.equal(Number(stored.n), 3 * Number(published.n));
  } finally {
    await database.close();
  }

  const second = await runCli(['pages'], env, 120_000);
  assert.equal(second.code, 0, show(second));
  assert.match(second.stdout, /stored 0 pages of 0 statements/);
  const help = await runCli(['pages', '--help'], env);
  assert.match(help.stdout, /--batch/);
});
