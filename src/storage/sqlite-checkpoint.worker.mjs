// Runs SQLite WAL checkpoints on a thread of their own, with a connection of its own, so that
// copying the WAL back into the database file (and its fsync) never blocks the event loop that
// answers requests. Plain JavaScript: worker threads do not inherit the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
// A PASSIVE checkpoint copies what it can without waiting for, or blocking, the writer.
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or briefly locked: the next tick tries again.
  }
}, workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // Left for the next start: SQLite replays the WAL.
  }
  db.close();
  parentPort.close();
});
