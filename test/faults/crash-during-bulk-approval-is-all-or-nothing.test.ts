// A crash at the moment of publication: a bulk approval (POST /api/v1/staff/approve) is one
// transaction — statuses, registration numbers, counts, indexes and audit entries — so a server
// killed with SIGKILL in the middle of one leaves it wholly published or wholly pending.
//
// The real server runs as a child process with a few thousand pending submissions; two streams
// of bulk approvals of BULK statements each run against it, and it is killed at a different
// moment of a bulk in each attempt (a fraction of the time the first bulk took). After each
// kill the database must show: every bulk all or none, every answered bulk published (promise
// 7), registration numbers 1…n without a gap or a repeat (each bulk's a contiguous run), and
// `rcenter recount` and `rcenter audit verify` content. Then the server starts again on it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { sql } from 'kysely';
import type { Dialect } from '../../src/storage/database.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { runCli, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { request, submitMany, withSqliteFile } from './fault-support.js';

/** Statements per bulk approval. */
const BULK = 200;
/** Bulk approvals in flight at once. */
const STREAMS = 2;
/** When to kill, as a fraction of the first bulk's time after it was answered: early, middle, late, very late. */
const KILL_AT = [0.1, 0.45, 0.8, 1.2];
const PASSWORD = 'a long unusual passphrase 42';

interface Bulk {
  ids: string[];
  /** 200 received before the kill. */
  answered: boolean;
}

interface Published {
  id: string;
  registrationNumber: number;
}

/** Publication state of the given ids, read straight from the database (after the process is gone). */
async function published(dialect: Dialect, dataDir: string, testDatabase: TestDatabase | undefined): Promise<Published[]> {
  if (dialect === 'sqlite') {
    return withSqliteFile(dataDir, (db) =>
      (db.prepare("select id, registration_number as n from submission where status = 'published'").all() as { id: string; n: number }[]).map(
        (r) => ({ id: r.id, registrationNumber: r.n }),
      ),
    );
  }
  const db = testDatabase!.database.db;
  // The killed server's sessions end when PostgreSQL notices their sockets closed; until then a
  // COMMIT it had sent may still land. Read once none of them is left.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const busy = await sql<{ n: string }>`
      select count(*) as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and state is distinct from 'idle'`.execute(db);
    if (Number(busy.rows[0]!.n) === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const rows = await db.selectFrom('submission').select(['id', 'registration_number']).where('status', '=', 'published').execute();
  return rows.map((r) => ({ id: r.id, registrationNumber: Number(r.registration_number) }));
}

/**
 * Sends bulk approvals from `pending`, STREAMS at a time, until the server is killed: KILL_AT[k]
 * of the first bulk's duration after it was answered (by then the next ones are under way).
 */
async function approveUntilKilled(server: ServerProcess, token: string, pending: string[], killAt: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: STREAMS });
  const bulks: Bulk[] = [];
  let killed = false;
  let firstMs = 0;
  const stream = async () => {
    while (!killed && pending.length >= BULK) {
      const bulk: Bulk = { ids: pending.splice(0, BULK), answered: false };
      bulks.push(bulk);
      let answer;
      try {
        answer = await request(server.port, '/api/v1/staff/approve', {
          body: { ids: bulk.ids },
          headers: { authorization: `Bearer ${token}` },
          agent,
          timeoutMs: 30_000,
        });
      } catch (error) {
        if (killed) return;
        throw error;
      }
      assert.equal(answer.status, 200, `bulk approval before the kill: ${answer.body}`);
      bulk.answered = true;
      if (firstMs === 0) {
        firstMs = answer.ms;
        setTimeout(() => {
          killed = true;
          server.child.kill('SIGKILL');
        }, Math.round(answer.ms * killAt));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: STREAMS }, stream));
  } finally {
    agent.destroy();
  }
  if (!killed) server.child.kill('SIGKILL');
  await server.exited;
  return { bulks, firstMs };
}

describeEachDialect('a crash during bulk approval leaves each bulk wholly published or wholly pending', (dialect) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bulk-crash-'));
  const dataDir = path.join(root, 'data');
  let testDatabase: TestDatabase | undefined;
  after(async () => {
    await testDatabase?.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`bulks of ${BULK}, ${STREAMS} at a time, SIGKILL at ${KILL_AT.length} moments: all or none, numbers gapless, recount clean`, async (t) => {
    if (dialect === 'postgres') testDatabase = await createTestDatabase('postgres');
    const env = { DATA_DIR: dataDir, DATABASE_URL: testDatabase?.databaseUrl, RATE_LIMITS: 'off', LOG_LEVEL: 'warn' };
    const cli = async (args: string[], input?: string) => {
      const r = await runCli(args, { ...env, RCENTER_PASSWORD_COST_LOG2: '14' }, 60_000, input);
      return { ...r, show: `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}` };
    };

    let server = await startServerProcess({ env });
    const pending: string[] = [];
    let submitted = 0;
    const allBulks: Bulk[] = [];
    try {
      const added = await cli(['user', 'add', '--name', 'editor', '--role', 'editor', '--password-file', '-'], `${PASSWORD}\n`);
      assert.equal(added.code, 0, added.show);
      const created = await cli(['token', 'create', '--user', 'editor']);
      assert.equal(created.code, 0, created.show);
      const token = created.stdout.trim().split('\n').pop()!;

      for (const [attempt, killAt] of KILL_AT.entries()) {
        // Enough pending statements for this attempt's bulks.
        const wanted = BULK * STREAMS * 3;
        if (pending.length < wanted) {
          const more = await submitMany(server.port, wanted - pending.length, 32, submitted);
          submitted += more.length;
          pending.push(...more.map((c) => c.id));
        }
        const { bulks, firstMs } = await approveUntilKilled(server, token, pending, killAt);
        allBulks.push(...bulks);

        const rows = await published(dialect, dataDir, testDatabase);
        const number = new Map(rows.map((r) => [r.id, r.registrationNumber]));
        const unanswered = bulks.filter((b) => !b.answered);
        const rolledBack = unanswered.filter((b) => !number.has(b.ids[0]!));
        t.diagnostic(
          `attempt ${attempt + 1}: first bulk ${firstMs.toFixed(0)} ms, kill at ${(firstMs * killAt).toFixed(0)} ms after it; ` +
            `${bulks.length} bulks sent, ${unanswered.length} unanswered at the kill (${unanswered.length - rolledBack.length} of them committed, ${rolledBack.length} rolled back)`,
        );
        assert.ok(unanswered.length > 0, 'the kill cut no bulk approval off: nothing was tested');

        for (const bulk of allBulks) {
          const numbers = bulk.ids.map((id) => number.get(id)).filter((n) => n !== undefined);
          assert.ok(numbers.length === 0 || numbers.length === bulk.ids.length, `a bulk is half published: ${numbers.length} of ${bulk.ids.length}`);
          if (bulk.answered) assert.equal(numbers.length, bulk.ids.length, 'an acknowledged bulk approval is not published');
          if (numbers.length > 0) {
            assert.equal(Math.max(...numbers) - Math.min(...numbers) + 1, bulk.ids.length, 'a bulk’s registration numbers are not one run');
          }
        }
        // Rolled-back bulks stay pending; their statements are approved again in later bulks.
        for (const bulk of rolledBack) {
          pending.push(...bulk.ids);
          allBulks.splice(allBulks.indexOf(bulk), 1);
        }
        const numbers = rows.map((r) => r.registrationNumber).sort((a, b) => a - b);
        assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => i + 1), 'registration numbers have a gap or a repeat');

        const [recount, audit] = await Promise.all([cli(['recount']), cli(['audit', 'verify'])]);
        assert.equal(recount.code, 0, `counts drifted after the crash\n${recount.show}`);
        assert.equal(audit.code, 0, `audit chain broken after the crash\n${audit.show}`);

        server = await startServerProcess({ env });
        const stats = await request(server.port, '/api/v1/stats');
        assert.equal(stats.status, 200, stats.body);
      }
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
    }
  });
});
