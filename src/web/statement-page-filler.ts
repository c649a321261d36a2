import type { FastifyBaseLogger } from 'fastify';
import type { Locale } from '../domain/locales.js';
import type { Database } from '../storage/database.js';
import { storeStatementPages, type WantedPage } from './statement-pages.js';

/** Most pages waiting to be stored; beyond it a read page is simply not remembered. */
const MAX_WAITING = 10_000;

/**
 * Stores the statement pages readers asked for and did not find stored, in the background: a
 * page rendered for a reader once is then served from the database (statement-pages.tsx). Work
 * is done in small transactions a moment after the requests, never on a request's own time, and
 * a failure costs only the speed of the next reads.
 */
export class StatementPageFiller {
  private readonly waiting = new Map<string, WantedPage>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly database: Database,
    private readonly log: FastifyBaseLogger,
    private readonly options: { batch: number; delayMs: number } = { batch: 20, delayMs: 250 },
  ) {}

  /** Remembers that this page was read and not found stored. */
  want(registrationNumber: number, locale: Locale): void {
    if (this.closed || this.waiting.size >= MAX_WAITING) return;
    this.waiting.set(`${registrationNumber} ${locale}`, { registrationNumber, locale });
    this.schedule();
  }

  /**
   * Stores whatever is waiting now, without the delay, and resolves once nothing is waiting or
   * being stored: tests await this instead of sleeping for background work.
   */
  async idle(): Promise<void> {
    while (this.running || (!this.closed && this.waiting.size > 0)) {
      if (!this.running) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.startBatch();
      }
      await this.running;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running;
  }

  private schedule(): void {
    if (this.timer || this.running || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startBatch();
    }, this.options.delayMs);
    this.timer.unref();
  }

  private startBatch(): void {
    this.running = this.storeBatch().finally(() => {
      this.running = undefined;
      if (this.waiting.size > 0) this.schedule();
    });
  }

  private async storeBatch(): Promise<void> {
    const batch = [...this.waiting].slice(0, this.options.batch);
    for (const [key] of batch) this.waiting.delete(key);
    try {
      await storeStatementPages(
        this.database,
        batch.map(([, page]) => page),
      );
    } catch (error) {
      // Only the pages' speed is lost: they are rendered per request until stored.
      this.log.warn({ err: error }, 'statement pages: storing failed; they are rendered per request meanwhile');
    }
  }
}
