// Writes group-commit batches of new submissions to SQLite on a thread of its own, with a
// connection of its own, so that the INSERTs, the COMMIT and its fsync never block the event
// loop that parses and answers requests. Plain JavaScript: worker threads do not inherit the
// TypeScript loader.
//
// A batch arrives already serialised by submission-writer.ts: for each statement its SQL text
// and the rows to bind (plain arrays of column values). It is written in one transaction
// (BEGIN IMMEDIATE … COMMIT) with cached single-row prepared statements, and answered only
// after COMMIT has returned — with synchronous = FULL, after the WAL was fsync'ed (promise 7).
// On any error the transaction is rolled back whole and the error is sent back; the main
// thread then retries the batch one item at a time (group-commit.ts).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
// The same settings as the main connection (database.ts): WAL, synchronous = FULL, foreign
// keys, busy timeout, secure delete, no automatic checkpoints (sqlite-checkpoint.worker.mjs).
for (const pragma of workerData.pragmas) db.pragma(pragma);

const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
/** Prepared statements by SQL text; the main thread sends only a handful of distinct texts. */
const statements = new Map();

function statement(sql) {
  let prepared = statements.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    if (statements.size >= 100) statements.delete(statements.keys().next().value);
    statements.set(sql, prepared);
  }
  return prepared;
}

/** @param {{ id: number, statements: [string, unknown[][]][] }} batch */
function write(batch) {
  begin.run();
  try {
    for (const [sql, rows] of batch.statements) {
      const prepared = statement(sql);
      for (const row of rows) prepared.run(row);
    }
    commit.run();
  } catch (error) {
    if (db.inTransaction) rollback.run();
    throw error;
  }
}

parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    write(message);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({
      id: message.id,
      error: { name: error?.name ?? 'Error', message: String(error?.message ?? error), code: error?.code },
    });
  }
});
