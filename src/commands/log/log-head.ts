import type { Database } from '../../storage/database.js';
import { readLatestCheckpoint, type LatestCheckpoint } from '../../storage/log/transparency-log.repository.js';

/**
 * The latest signed checkpoint with its tally, as this process follows it (the counter and
 * /log/checkpoint ask it at every request). SQLite: read at once on the read-only connection.
 * PostgreSQL: one read at a time for the whole process; a call while one is on its way waits for
 * the next, which starts after the call — so every answer has seen whatever was committed before
 * the call, and a flood of requests costs one query per round trip (as PublicationHead does).
 */
export class LogHead {
  private inFlight: Promise<LatestCheckpoint | undefined> | undefined;
  private queued: Promise<LatestCheckpoint | undefined> | undefined;

  constructor(private readonly database: Database) {}

  current(): LatestCheckpoint | undefined | Promise<LatestCheckpoint | undefined> {
    if (this.database.readFirstSync) return readLatestCheckpoint(this.database);
    if (this.queued) return this.queued;
    if (!this.inFlight) return this.start();
    const next = () => {
      this.queued = undefined;
      return this.start();
    };
    return (this.queued = this.inFlight.then(next, next));
  }

  private start(): Promise<LatestCheckpoint | undefined> {
    const read = Promise.resolve(readLatestCheckpoint(this.database)).finally(() => {
      if (this.inFlight === read) this.inFlight = undefined;
    });
    this.inFlight = read;
    return read;
  }
}
