import { ServiceError } from '../domain/service-error.js';

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most items written in one transaction. */
  maxBatch: number;
  /**
   * Most items not yet answered (waiting or being written); beyond it new items are refused with
   * `unavailable` (503) at once.
   */
  maxQueue: number;
  /**
   * Most batches being written at once (default 1). With a writer that works on another thread,
   * 2 lets the next batch wait there while one commits, so the writer is never idle waiting for
   * the event loop to hand it work; each batch is still its own transaction and its own answer.
   */
  maxInFlight?: number;
  /**
   * Errors that are not any one item's fault (the database is down, the disk is full): a batch
   * that fails with one is refused whole at once, not retried item by item — each retry would
   * fail the same way, and one at a time would hold the queue (and its memory) far longer.
   */
  isUnavailable?: (error: unknown) => boolean;
}

/**
 * Group commit: items that arrive together are written by one call of `write` (one
 * transaction, one flush), and each caller is answered only after that call returns, so an
 * acknowledgement always means "on disk" (promise 7) while the flush cost is shared.
 *
 * If a batch fails, its items are retried one by one so that one bad item cannot take the
 * others down with it — unless the database itself is unavailable (`isUnavailable`).
 */
export class GroupCommit<T> {
  private queue: Waiting<T>[] = [];
  private inFlight = 0;
  private inFlightItems = 0;
  private scheduled = false;
  private readonly maxInFlight: number;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly options: GroupCommitOptions,
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  }

  /** Resolves once `item` is committed; rejects if its write failed or the queue is full. */
  submit(item: T): Promise<void> {
    if (this.queue.length + this.inFlightItems >= this.options.maxQueue) {
      return Promise.reject(new ServiceError({ code: 'unavailable' }, { retryAfterSeconds: 5 }));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight < this.maxInFlight) {
        this.scheduled = true;
        // Wait one turn of the event loop so that requests parsed in the same turn join the batch.
        setImmediate(() => {
          this.scheduled = false;
          this.dispatch();
        });
      }
    });
  }

  /** How many items are not answered yet (waiting or being written). */
  get pending(): number {
    return this.queue.length + this.inFlightItems;
  }

  /** Starts batches from the queue while fewer than maxInFlight are being written. */
  private dispatch(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.inFlightItems += batch.length;
      void this.run(batch);
    }
  }

  private async run(batch: Waiting<T>[]): Promise<void> {
    try {
      await this.write(batch.map((w) => w.item));
      for (const w of batch) w.resolve();
    } catch (error) {
      if (batch.length === 1 || this.options.isUnavailable?.(error)) for (const w of batch) w.reject(error);
      else await this.writeOneByOne(batch);
    } finally {
      this.inFlight--;
      this.inFlightItems -= batch.length;
      // What arrived during the write forms the next batch at once.
      this.dispatch();
    }
  }

  private async writeOneByOne(batch: Waiting<T>[]): Promise<void> {
    for (const w of batch) {
      try {
        await this.write([w.item]);
        w.resolve();
      } catch (error) {
        w.reject(error);
        // The database became unavailable meanwhile: the rest would only wait to fail.
        if (this.options.isUnavailable?.(error)) {
          for (const rest of batch.slice(batch.indexOf(w) + 1)) rest.reject(error);
          return;
        }
      }
    }
  }
}
