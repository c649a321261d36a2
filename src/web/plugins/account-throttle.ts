import type { RateDecision } from './rate-limiter.js';

const HOUR = 3_600_000;

interface Window {
  started: number;
  count: number;
}

/**
 * Failed sign-in windows of existing staff accounts, keyed by account id (an account id is not
 * network identity: promise 1 concerns addresses). Only ids read from the database come here,
 * so its size is bounded by the number of accounts, and nothing else shares this store: no flood
 * of requests for other names or from other addresses can push an account's window out and
 * restart its password or TOTP guessing allowance.
 */
export class AccountThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one attempt on `accountId` against `limitPerHour`. */
  hit(accountId: string, limitPerHour: number): RateDecision {
    const now = this.now();
    let window = this.windows.get(accountId);
    if (!window || now - window.started >= HOUR) {
      window = { started: now, count: 0 };
      this.windows.set(accountId, window);
    }
    window.count++;
    return { allowed: window.count <= limitPerHour, retryAfterSeconds: Math.max(1, Math.ceil((window.started + HOUR - now) / 1000)) };
  }

  /** Returns one counted attempt (a sign-in that succeeded). */
  giveBack(accountId: string): void {
    const window = this.windows.get(accountId);
    if (window && window.count > 0) window.count--;
  }

  /** Accounts with a window, for tests. */
  get size(): number {
    return this.windows.size;
  }
}
