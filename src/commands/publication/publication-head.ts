import type { Database } from '../../storage/database.js';
import { readPublicationHead } from '../../storage/publication/publication-log.repository.js';

/** Longest wait for one head read before the last known head is used (a slow or lost database). */
const READ_PATIENCE_MS = 500;
/** After a failed read, the last known head is used this long before the next try. */
const RETRY_AFTER_FAILURE_MS = 500;

/**
 * The publication log's head as this process follows it: the seq of the last event committed by
 * any process. Caches key what they hold on it (page-cache.ts, published-reader.ts), so a change
 * committed anywhere is seen by the next request that asks, with no message between processes.
 *
 * SQLite: every call reads the head row at once on the read-only connection (a prepared
 * primary-key read, a few microseconds). PostgreSQL: one read at a time for the whole process; a
 * call while one is on its way waits for the next, which starts after the call (so it still sees
 * everything committed before the call) — one query per round trip however many requests come.
 * When the database cannot answer (an outage), the last known head is used (cached pages are still
 * served), for at most RETRY_AFTER_FAILURE_MS before the next try, and a read that takes longer
 * than READ_PATIENCE_MS is not waited for: a head is never older than about a second.
 */
export class PublicationHead {
  private last = 0;
  private failedAt = -Infinity;
  private inFlight: Promise<number> | undefined;
  private queued: Promise<number> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly database: Database) {}

  /**
   * Calls `listener` when the head may have moved: announced by a publishing command of this
   * process after its commit, or seen to move by a read. Returns the unsubscribe function.
   */
  onMove(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Said by a command after a commit that may have appended events (the log sequencer follows at once). */
  announce(): void {
    for (const listener of this.listeners) listener();
  }

  /** The current head (a number on SQLite, a promise on PostgreSQL). */
  current(): number | Promise<number> {
    if (performance.now() - this.failedAt < RETRY_AFTER_FAILURE_MS) return this.last;
    if (this.database.readFirstSync) {
      try {
        return this.advance(readPublicationHead(this.database) as number);
      } catch {
        this.failedAt = performance.now();
        return this.last;
      }
    }
    if (this.queued) return this.queued;
    if (!this.inFlight) return this.start();
    return (this.queued = this.inFlight.then(() => {
      this.queued = undefined;
      return this.start();
    }));
  }

  private start(): Promise<number> {
    const read = Promise.resolve(readPublicationHead(this.database)).then(
      (seq) => this.advance(seq),
      () => {
        this.failedAt = performance.now();
        return this.last;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        this.failedAt = performance.now();
        resolve(this.last);
      }, READ_PATIENCE_MS);
      timer.unref();
    });
    const answer = Promise.race([read, patience]).finally(() => {
      clearTimeout(timer);
      if (this.inFlight === answer) this.inFlight = undefined;
    });
    this.inFlight = answer;
    return answer;
  }

  /** The head never goes back (a read answered late must not undo a newer one). */
  private advance(seq: number): number {
    if (seq > this.last) {
      this.last = seq;
      this.announce();
    }
    return this.last;
  }
}

const heads = new WeakMap<Database, PublicationHead>();

/** The one head follower of this database in this process. */
export function publicationHeadOf(database: Database): PublicationHead {
  let head = heads.get(database);
  if (!head) heads.set(database, (head = new PublicationHead(database)));
  return head;
}
