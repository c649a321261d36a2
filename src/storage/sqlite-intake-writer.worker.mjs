// Writes new submissions to SQLite on a thread of its own, with a connection of its own, so that
// the INSERTs, the COMMIT and its fsync never block the event loop that parses and answers
// requests. Plain JavaScript: worker threads do not inherit the TypeScript loader.
//
// Each message is one group-commit batch, already serialised by submission-writer.ts: for each
// statement its SQL text and the rows to bind (plain arrays of column values), the batch's
// merged count moves included. Batches that arrive while a COMMIT is flushing wait in this
// thread's message queue; they are all taken together (up to `maxItems` submissions) and written
// in one transaction (BEGIN IMMEDIATE … COMMIT) with cached single-row prepared statements, so
// the next flush is shared by everything that queued up during the last one, without a round
// trip through the event loop. Each batch is answered only after COMMIT has returned — with
// synchronous = FULL, after the WAL was fsync'ed (promise 7).
//
// If that transaction fails, it is rolled back whole and every batch of it is written again in
// a transaction of its own; a batch that still fails is answered with the error, and the main
// thread retries its items one at a time (group-commit.ts): one bad item fails alone. A full
// disk or an I/O error fails every batch of the transaction at once instead (the main thread
// answers 503); the thread and its connection stay as they are, and the next batch is tried
// afresh, so writing resumes by itself when space is freed.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
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

/**
 * The main connection is waiting for the write lock (database.ts raises this while it does):
 * let it have the lock before starting another transaction, so that a steady stream of intake
 * cannot starve it — it blocks its event loop while it waits. Never longer than a second.
 */
const waitingForLock = workerData.waitingForLock;
function yieldToMainConnection() {
  const deadline = Date.now() + 1000;
  for (let waiting; (waiting = Atomics.load(waitingForLock, 0)) > 0 && Date.now() < deadline; ) {
    Atomics.wait(waitingForLock, 0, waiting, 5);
  }
}

/** Writes the batches in one transaction: all of them or none. */
function write(batches) {
  yieldToMainConnection();
  begin.run();
  try {
    for (const batch of batches) {
      for (const [sql, rows] of batch.statements) {
        const prepared = statement(sql);
        for (const row of rows) prepared.run(row);
      }
    }
    commit.run();
  } catch (error) {
    // SQLite may already have rolled back by itself (it does on SQLITE_FULL and some I/O
    // errors); a ROLLBACK that fails must not hide the error that is reported.
    try {
      if (db.inTransaction) rollback.run();
    } catch {
      // nothing more to undo
    }
    throw error;
  }
}

/**
 * The disk is full, an I/O error, the lock not had within busy_timeout: not any batch's fault,
 * so writing the batches one by one would fail the same way. Answered as it is; the main thread
 * maps it to 503 (database-errors.ts), and the next message is tried afresh.
 */
function isUnavailable(error) {
  return /^SQLITE_(FULL|IOERR|BUSY|LOCKED|CANTOPEN|NOMEM|PROTOCOL)/.test(String(error?.code ?? ''));
}

/** Answers batches that were written: one message for all of them (one event on the main thread). */
function answerWritten(batches) {
  parentPort.postMessage({ ids: batches.map((batch) => batch.id) });
}

function answer(batch, error) {
  if (!error) return answerWritten([batch]);
  parentPort.postMessage({
    ids: [batch.id],
    error: { name: error?.name ?? 'Error', message: String(error?.message ?? error), code: error?.code },
  });
}

function stop() {
  db.close();
  parentPort.close();
}

/** The settings this thread's connection really has (for the durability test): nothing else. */
function answerSettings() {
  const read = (name) => db.pragma(name, { simple: true });
  parentPort.postMessage({ settings: { journal_mode: read('journal_mode'), synchronous: read('synchronous'), foreign_keys: read('foreign_keys') } });
}

parentPort.on('message', (first) => {
  if (first === 'stop') return stop();
  if (first === 'settings') return answerSettings();
  // Everything queued behind the first batch joins it (never beyond maxItems submissions).
  const batches = [first];
  let items = first.items;
  let stopping = false;
  while (items < first.maxItems) {
    const next = receiveMessageOnPort(parentPort);
    if (!next) break;
    if (next.message === 'stop') {
      stopping = true;
      break;
    }
    batches.push(next.message);
    items += next.message.items;
  }
  try {
    write(batches);
    answerWritten(batches);
  } catch (error) {
    if (batches.length === 1 || isUnavailable(error)) for (const batch of batches) answer(batch, error);
    else {
      for (const batch of batches) {
        try {
          write([batch]);
          answer(batch);
        } catch (alone) {
          answer(batch, alone);
        }
      }
    }
  }
  if (stopping) stop();
});
