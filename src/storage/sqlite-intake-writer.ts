import { Worker } from 'node:worker_threads';

/** One statement of a batch: its SQL text and the rows to bind to it, one run per row. */
export type SerialisedStatement = [sql: string, rows: unknown[][]];

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** An error raised in the writer thread, with SQLite's error code (e.g. SQLITE_CONSTRAINT_UNIQUE). */
export class SqliteWriterError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

/**
 * The SQLite intake writer thread (sqlite-intake-writer.worker.mjs): a connection of its own to
 * the same file, with the same settings, that writes pre-serialised batches in one transaction
 * each and answers after COMMIT. Started on first use; stopped by Database.close().
 *
 * The thread is unreferenced while idle, so it never keeps a process alive, and referenced while
 * a batch is in flight, so a process does not exit before the batch is answered.
 */
export class SqliteIntakeWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly settingsWaiting: ((settings: Record<string, unknown>) => void)[] = [];
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly pragmas: readonly string[],
    /** Non-zero while the main connection waits for the write lock (database.ts). */
    private readonly waitingForLock: Int32Array,
  ) {}

  /**
   * Writes the statements (a batch of `items` submissions) in one transaction, possibly together
   * with other batches queued in the thread (up to `maxItems` submissions in all); resolves once
   * it is committed (and flushed), rejects if this batch could not be written.
   */
  write(statements: SerialisedStatement[], items: number, maxItems: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, statements, items, maxItems });
    });
  }

  /**
   * The durability settings the thread's own connection has (`journal_mode`, `synchronous`,
   * `foreign_keys`), read there: promise 7 rests on them, and a test checks them.
   */
  settings(): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    const worker = this.worker ?? this.start();
    return new Promise((resolve) => {
      this.settingsWaiting.push(resolve);
      worker.ref();
      worker.postMessage('settings');
    });
  }

  /** Lets batches already sent finish, then stops the thread and closes its connection. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref();
    // Messages are handled in order: every batch sent before this one is answered first.
    worker.postMessage('stop');
    await exited;
  }

  /** Idle again (nothing unanswered): unreferenced, unless close() is waiting for the thread to stop. */
  private unrefWhenIdle(worker: Worker): void {
    if (this.pending.size === 0 && this.settingsWaiting.length === 0 && !this.closed) worker.unref();
  }

  private start(): Worker {
    const worker = new Worker(new URL('./sqlite-intake-writer.worker.mjs', import.meta.url), {
      workerData: { file: this.file, pragmas: this.pragmas, waitingForLock: this.waitingForLock },
    });
    // One message per transaction: the ids of every batch it wrote (or the one batch that failed).
    worker.on('message', (message: { ids: number[]; error?: { message: string; code?: string } } | { settings: Record<string, unknown> }) => {
      if ('settings' in message) {
        this.settingsWaiting.shift()?.(message.settings);
        this.unrefWhenIdle(worker);
        return;
      }
      for (const id of message.ids) {
        const pending = this.pending.get(id);
        if (!pending) continue;
        this.pending.delete(id);
        if (message.error) pending.reject(new SqliteWriterError(message.error.message, message.error.code));
        else pending.resolve();
      }
      this.unrefWhenIdle(worker);
    });
    // A thread that fails or exits takes its unanswered batches with it: they were not
    // acknowledged, so they are refused (group-commit.ts retries them one by one on a new thread).
    const failAll = (error: unknown) => {
      if (this.worker === worker) this.worker = undefined;
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const p of pending) p.reject(error);
    };
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new Error('the SQLite writer thread stopped')));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
