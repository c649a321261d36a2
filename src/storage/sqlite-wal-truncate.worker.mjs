// Empties the SQLite WAL file (a TRUNCATE checkpoint) on a thread of its own, so the wait for
// the writer and readers never blocks the event loop. Used after retention deleted something:
// older WAL frames can still hold the deleted rows until the file is truncated.
//
// With `compactSearch`, first rewrites the FTS5 search index into one segment, a few pages per
// transaction (writers wait for one step only): the index is contentless with
// contentless_delete=1, so deleting a statement from it only adds a tombstone, and its tokens —
// its words and names — stay in the file until their segment is merged
// (https://sqlite.org/fts5.html#the_merge_command; a negative N merges down to one segment).
// secure_delete overwrites the pages the merge frees.
// Plain JavaScript: worker threads do not inherit the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const MERGE_PAGES = 64;
const MOST_STEPS = 1_000_000;

const db = new Database(workerData.file, { fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  db.pragma('secure_delete = ON');
  if (workerData.compactSearch) compactSearch();
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)');
  parentPort.postMessage({ busy: result.busy === 1 });
} catch (error) {
  parentPort.postMessage({ busy: true, error: String(error) });
} finally {
  db.close();
}

function compactSearch() {
  const merge = db.prepare(`insert into statement_search(statement_search, rank) values ('merge', ${-MERGE_PAGES})`);
  const changes = db.prepare('select total_changes() as n').pluck();
  // A step that changes nothing but its own command means the index is one segment, tombstones applied.
  for (let step = 0; step < MOST_STEPS; step++) {
    const before = changes.get();
    merge.run();
    if (changes.get() - before < 2) return;
  }
}
