// `rcenter backup` takes a consistent copy while the real server keeps acknowledging submissions,
// and `rcenter restore` puts it into an empty data directory (or database) and verifies it: every
// submission acknowledged before the backup began is in the restored copy, which passes
// integrity_check, `rcenter audit verify` and `rcenter recount`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { hashReceipt, parseReceipt } from '../src/domain/receipt.js';
import { openDatabase, SQLITE_FILE_NAME } from '../src/storage/database.js';
import { findPostgresTool } from '../src/storage/postgres-backup.repository.js';
import { checkSqliteFile } from '../src/storage/sqlite-backup.repository.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.js';
import { runCli, startServerProcess, type CliResult, type ServerProcess } from './support/server-process.js';

const WORKERS = 16;
const show = (r: CliResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-backup-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Load {
  /** Receipts in the order their 201 arrived, each with the time it arrived. */
  acked: { receipt: string; at: number }[];
  failures: string[];
  stop(): Promise<void>;
}

/** Keeps WORKERS submissions in flight through the HTTP API until stopped. */
function startLoad(server: ServerProcess): Load {
  let stopping = false;
  const load: Load = { acked: [], failures: [], stop: async () => {} };
  const worker = async (w: number) => {
    for (let n = 0; !stopping; n++) {
      const body = JSON.stringify({
        language: 'zh-hans',
        text: `备份测试 worker ${w} number ${n}`,
        declarants: [{ displayName: `备${w}-${n}`, nameKind: 'pseudonym', organizations: ['youth_league'], region: '320000' }],
      });
      try {
        const response = await fetch(`${server.url}/api/v1/submissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await response.text();
        if (response.status === 201) load.acked.push({ receipt: (JSON.parse(text) as { receipt: string }).receipt, at: performance.now() });
        else load.failures.push(`${response.status} ${text.slice(0, 200)}`);
      } catch (error) {
        load.failures.push(String(error));
        return;
      }
    }
  };
  const running = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  load.stop = async () => {
    stopping = true;
    await running;
  };
  return load;
}

async function waitFor(condition: () => boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describeEachDialect('backup under write load, restored and verified', (dialect) => {
  const skip = dialect === 'postgres' && !findPostgresTool('pg_dump') ? 'pg_dump is not installed (PATH or /usr/lib/postgresql/*/bin)' : false;

  test('every submission acknowledged before the backup began is in the restored copy, which verifies', { skip, timeout: 300_000 }, async () => {
    // Its own connection stays open (and idle) until cleanup, which closes it.
    const source: TestDatabase = await createTestDatabase(dialect);
    const env = { DATA_DIR: source.dataDir, DATABASE_URL: source.databaseUrl, RATE_LIMITS: 'off', LOG_LEVEL: 'warn' };
    if (dialect === 'sqlite') {
      // A database of some size, so the copy takes many steps while writes go on.
      const demo = await runCli(['demo', '--people', '20000'], env, 240_000);
      assert.equal(demo.code, 0, show(demo));
    }
    const file = path.join(scratch, `${dialect}.backup`);
    const restoredDir = path.join(scratch, `${dialect}-restored`);
    const restoreName = `rc_restore_${randomBytes(5).toString('hex')}`;
    let restoreUrl: string | undefined;
    if (dialect === 'postgres') {
      await adminQuery(`create database ${restoreName}`);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${restoreName}`;
      restoreUrl = url.toString();
    }
    const server = await startServerProcess({ env });
    let load: Load | undefined;
    try {
      load = startLoad(server);
      await waitFor(() => load!.acked.length >= 200);
      const began = performance.now();
      const before = load.acked.filter((a) => a.at < began).map((a) => a.receipt);
      const backup = await runCli(['backup', file], env, 240_000);
      const duringBackup = load.acked.filter((a) => a.at >= began).length;
      await load.stop();
      assert.equal(backup.code, 0, show(backup));
      assert.match(backup.stdout, /backup written to/);
      assert.deepEqual(load.failures, []);
      assert.ok(duringBackup > 0, 'no submission was acknowledged while the backup ran: not under load');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);

      const again = await runCli(['backup', file], env);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already exists; a backup never overwrites a file/);

      const restoreEnv = { DATA_DIR: restoredDir, DATABASE_URL: restoreUrl };
      const restore = await runCli(['restore', file], restoreEnv, 240_000);
      assert.equal(restore.code, 0, show(restore));
      assert.match(restore.stdout, /counts match the recount of \d+ statements; audit log intact/);
      const twice = await runCli(['restore', file], restoreEnv);
      assert.equal(twice.code, 1, show(twice));
      assert.match(twice.stderr, dialect === 'sqlite' ? /restore only into an empty data directory/ : /is not empty.*restore only into a new, empty database/);

      const restored = openDatabase({ dataDir: restoredDir, databaseUrl: restoreUrl, poolSize: 1 });
      let hashes: Set<string>;
      try {
        hashes = new Set((await restored.db.selectFrom('submission').select('receipt_hash').execute()).map((r) => r.receipt_hash));
      } finally {
        await restored.close();
      }
      const missing = before.filter((r) => !hashes.has(hashReceipt(parseReceipt(r)!)));
      assert.deepEqual(missing, [], `${missing.length} of ${before.length} acknowledged submissions are missing`);
      if (dialect === 'sqlite') assert.equal(checkSqliteFile(path.join(restoredDir, SQLITE_FILE_NAME)).ok, true);
      for (const command of [['audit', 'verify'], ['recount']]) {
        const result = await runCli(command, restoreEnv, 120_000);
        assert.equal(result.code, 0, show(result));
      }
    } finally {
      await load?.stop();
      await server.stop();
      await source.cleanup();
      if (dialect === 'postgres') await adminQuery(`drop database if exists ${restoreName} with (force)`);
    }
  });
});
