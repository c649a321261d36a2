import type { Database } from '../../storage/database.js';
import { readLatestCheckpoint, type LatestCheckpoint } from '../../storage/log/transparency-log.repository.js';

/** How long a PostgreSQL read of the latest checkpoint is reused (the counter and /log/checkpoint poll it). */
const REUSE_MS = 200;

/**
 * The latest signed checkpoint with its tally, as this process follows it. SQLite: read at once
 * on the read-only connection every time. PostgreSQL: one read serves every request of the next
 * REUSE_MS, so a flood of counter requests costs one query per 200 ms.
 */
export class LogHead {
  private read: Promise<LatestCheckpoint | undefined> | undefined;
  private readAt = -Infinity;

  constructor(private readonly database: Database) {}

  current(): LatestCheckpoint | undefined | Promise<LatestCheckpoint | undefined> {
    if (this.database.readFirstSync) return readLatestCheckpoint(this.database);
    if (!this.read || performance.now() - this.readAt > REUSE_MS) {
      this.readAt = performance.now();
      const read = Promise.resolve(readLatestCheckpoint(this.database));
      // A failed read is not reused: the next request tries again.
      read.catch(() => {
        if (this.read === read) this.read = undefined;
      });
      this.read = read;
    }
    return this.read;
  }
}
