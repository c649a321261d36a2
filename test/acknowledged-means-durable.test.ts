// Promise 7: acknowledged means durable. A 201 means the submission is on disk; a crash may lose
// only submissions that were never acknowledged.
//
// The real server runs as a child process under a steady load of 200 concurrent submissions;
// once a good number have been acknowledged it is killed with SIGKILL (no chance to flush or
// close anything) while the rest are in flight. Every receipt that came back with a 201 must
// then be in the database, the database must be intact, no half-written submission may exist,
// and the server must start again on it and find those receipts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { hashReceipt, parseReceipt } from '../src/domain/receipt.js';
import { SQLITE_FILE_NAME, type Dialect } from '../src/storage/database.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

/** Requests kept in flight at once. */
const WORKERS = 200;
/** Acknowledgements to wait for before the kill: more than one round of every worker. */
const KILL_AFTER = 300;
/** Give up (and fail) if the server has not acknowledged that many by then. */
const LOAD_TIMEOUT_MS = 60_000;

interface Outcome {
  acked: string[];
  /** Statuses other than 201 received before the kill (there should be none). */
  unexpected: { status: number; body: string }[];
  /** Requests started but not answered when the kill was sent. */
  inFlightAtKill: number;
  /** Requests that failed at the connection after the kill (the crash). */
  connectionErrors: number;
  /** …and before it (there should be none). */
  errorsBeforeKill: string[];
  started: number;
}

function post(agent: http.Agent, port: number, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/submissions',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('response aborted')));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Keeps WORKERS submissions in flight until KILL_AFTER are acknowledged, then SIGKILLs the server. */
async function loadAndKill(server: ServerProcess): Promise<Outcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
  const outcome: Outcome = { acked: [], unexpected: [], inFlightAtKill: -1, connectionErrors: 0, errorsBeforeKill: [], started: 0 };
  let finished = 0;
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    outcome.inFlightAtKill = outcome.started - finished;
    server.child.kill('SIGKILL');
  };
  const deadline = setTimeout(kill, LOAD_TIMEOUT_MS);
  const worker = async (w: number) => {
    for (let n = 0; ; n++) {
      if (killed) return;
      const body = JSON.stringify({
        language: 'zh-hans',
        text: `持久性测试 worker ${w} number ${n}`,
        declarants: [{ displayName: `工${w}-${n}`, nameKind: 'pseudonym', organizations: ['party'], region: '310000' }],
      });
      outcome.started++;
      try {
        const answer = await post(agent, server.port, body);
        finished++;
        if (answer.status === 201) {
          // Acknowledged, even if the kill was already sent: the server said it was stored.
          outcome.acked.push((JSON.parse(answer.body) as { receipt: string }).receipt);
          if (outcome.acked.length >= KILL_AFTER) kill();
        } else if (!killed) {
          outcome.unexpected.push(answer);
        }
      } catch (error) {
        finished++;
        if (!killed) {
          // The server failed on its own: this worker stops; the test fails below.
          outcome.errorsBeforeKill.push(String(error));
          return;
        }
        outcome.connectionErrors++;
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  } finally {
    clearTimeout(deadline);
    agent.destroy();
  }
  return outcome;
}

interface Stored {
  receiptHashes: Set<string>;
  /** Submissions with no declarant, or declarants with no submission: half-written records. */
  orphans: number;
  integrity: string;
}

async function readBack(dialect: Dialect, dataDir: string, testDatabase: TestDatabase | undefined): Promise<Stored> {
  if (dialect === 'sqlite') {
    // A fresh connection replays the WAL, as the next start of the server would.
    const db = new SQLite(path.join(dataDir, SQLITE_FILE_NAME));
    try {
      const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
      const foreignKeys = db.pragma('foreign_key_check') as unknown[];
      const hashes = db.prepare('select receipt_hash from submission').pluck().all() as string[];
      const orphans = db
        .prepare('select count(*) from submission s where not exists (select 1 from declarant d where d.submission_id = s.id)')
        .pluck()
        .get() as number;
      return { receiptHashes: new Set(hashes), orphans: orphans + foreignKeys.length, integrity };
    } finally {
      db.close();
    }
  }
  const db = testDatabase!.database.db;
  const hashes = await db.selectFrom('submission').select('receipt_hash').execute();
  const orphans = await sql<{ n: string }>`
    select (select count(*) from submission s where not exists (select 1 from declarant d where d.submission_id = s.id))
         + (select count(*) from declarant d where not exists (select 1 from submission s where s.id = d.submission_id)) as n`.execute(db);
  // PostgreSQL has no integrity_check; amcheck's B-tree check is the nearest, when installed
  // (B-tree indexes only: the search index is GIN).
  let integrity = 'ok';
  const amcheck = await sql`create extension if not exists amcheck`.execute(db).then(
    () => true,
    () => false, // not installed, or not allowed: skip the check
  );
  if (amcheck) {
    const indexes = await sql<{ name: string }>`
      select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
      join pg_namespace n on n.oid = c.relnamespace join pg_am a on a.oid = c.relam
      where n.nspname = 'public' and a.amname = 'btree'`.execute(db);
    for (const { name } of indexes.rows) {
      try {
        await sql`select bt_index_check(${name}::regclass, true)`.execute(db);
      } catch (error) {
        integrity = `index ${name}: ${String(error)}`;
      }
    }
  }
  return { receiptHashes: new Set(hashes.map((h) => h.receipt_hash)), orphans: Number(orphans.rows[0]!.n), integrity };
}

describeEachDialect('promise 7: every acknowledged submission survives a SIGKILL of the server', (dialect) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-durable-'));
  const dataDir = path.join(root, 'data');
  let testDatabase: TestDatabase | undefined;
  after(async () => {
    await testDatabase?.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`${WORKERS} concurrent submissions, SIGKILL after ${KILL_AFTER} acknowledgements: none of them is lost`, async (t) => {
    if (dialect === 'postgres') testDatabase = await createTestDatabase('postgres');
    const env = { DATA_DIR: dataDir, DATABASE_URL: testDatabase?.databaseUrl, RATE_LIMITS: 'off', LOG_LEVEL: 'warn' };
    const server = await startServerProcess({ env });
    let outcome: Outcome;
    try {
      outcome = await loadAndKill(server);
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    }
    const exit = await server.exited;
    t.diagnostic(
      `acknowledged ${outcome.acked.length}, started ${outcome.started}, in flight at the kill ${outcome.inFlightAtKill}, ` +
        `connection errors ${outcome.connectionErrors}`,
    );

    assert.equal(exit.signal, 'SIGKILL', `the server was not killed but exited: ${JSON.stringify(exit)}\n${server.stderr()}`);
    assert.deepEqual(outcome.unexpected.slice(0, 5), [], 'submissions failed before the kill');
    assert.deepEqual(outcome.errorsBeforeKill.slice(0, 5), [], `connections failed before the kill\n${server.stderr()}`);
    assert.ok(outcome.acked.length >= KILL_AFTER, `only ${outcome.acked.length} acknowledged within ${LOAD_TIMEOUT_MS} ms`);
    // The kill must have cut requests off, or nothing was tested.
    assert.ok(outcome.inFlightAtKill >= WORKERS / 4, `only ${outcome.inFlightAtKill} requests in flight at the kill`);
    assert.ok(outcome.connectionErrors > 0, 'no request was cut off by the kill');

    const stored = await readBack(dialect, dataDir, testDatabase);
    assert.equal(stored.integrity, 'ok');
    assert.equal(stored.orphans, 0, 'half-written submissions survived the crash');
    const lost = outcome.acked.filter((receipt) => !stored.receiptHashes.has(hashReceipt(parseReceipt(receipt)!)));
    assert.equal(
      lost.length,
      0,
      `${lost.length} of ${outcome.acked.length} acknowledged submissions are gone after the crash, e.g. ${lost.slice(0, 3).join(', ')}`,
    );
    assert.ok(stored.receiptHashes.size <= outcome.started, 'more rows than requests');

    // The server starts again on the crashed database and finds what it acknowledged.
    const again = await startServerProcess({ env });
    try {
      for (const receipt of [outcome.acked[0]!, outcome.acked[outcome.acked.length - 1]!]) {
        const agent = new http.Agent();
        const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const body = JSON.stringify({ receipt });
          const request = http.request(
            {
              host: '127.0.0.1',
              port: again.port,
              method: 'POST',
              path: '/api/v1/receipt',
              agent,
              headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
            },
            (response) => {
              let text = '';
              response.setEncoding('utf8').on('data', (d: string) => (text += d));
              response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
            },
          );
          request.on('error', reject);
          request.end(body);
        });
        agent.destroy();
        assert.equal(answer.status, 200, answer.body);
        assert.equal((JSON.parse(answer.body) as { status: string }).status, 'pending');
      }
    } finally {
      const exit2 = await again.stop();
      assert.equal(exit2.code, 0, `restarted server did not stop cleanly: ${again.stderr()}`);
    }
  });
});
