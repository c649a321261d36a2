// Empties the SQLite WAL file (a TRUNCATE checkpoint) on a thread of its own, so the wait for
// the writer and readers never blocks the event loop. Used after retention deleted something:
// older WAL frames can still hold the deleted rows until the file is truncated.
// Plain JavaScript: worker threads do not inherit the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)');
  parentPort.postMessage({ busy: result.busy === 1 });
} catch (error) {
  parentPort.postMessage({ busy: true, error: String(error) });
} finally {
  db.close();
}
