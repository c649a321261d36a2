import { createHmac, randomBytes } from 'node:crypto';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Beyond this many tracked keys the oldest windows are dropped, so memory stays bounded. */
const MAX_KEYS = 200_000;

interface Window {
  started: number;
  count: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets, for `Retry-After`. */
  retryAfterSeconds: number;
}

/**
 * Fixed-window rate limits kept in memory only (promise 1). A client address is never kept:
 * it is replaced at once by an HMAC under a random key that exists only in this process and
 * is replaced every day, taking every window with it.
 */
export class RateLimiter {
  private key = randomBytes(32);
  private keyCreated: number;
  private windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {
    this.keyCreated = now();
  }

  /** Counts one request of `bucket` from `address` against `limitPerHour`. */
  hit(bucket: string, address: string, limitPerHour: number): RateDecision {
    const now = this.now();
    if (now - this.keyCreated >= DAY) this.rotate(now);
    const id = this.keyOf(bucket, address);
    let window = this.windows.get(id);
    if (!window || now - window.started >= HOUR) {
      this.windows.delete(id);
      window = { started: now, count: 0 };
      this.windows.set(id, window);
      if (this.windows.size > MAX_KEYS) this.prune(now);
    }
    window.count++;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.started + HOUR - now) / 1000));
    return { allowed: window.count <= limitPerHour, retryAfterSeconds };
  }

  /** Whether `address` is still under `limitPerHour` in `bucket`, without counting a request. */
  check(bucket: string, address: string, limitPerHour: number): RateDecision {
    const now = this.now();
    const window = this.windows.get(this.keyOf(bucket, address));
    if (!window || now - window.started >= HOUR) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: window.count < limitPerHour, retryAfterSeconds: Math.max(1, Math.ceil((window.started + HOUR - now) / 1000)) };
  }

  /** Returns one counted request (for example a sign-in that succeeded). */
  giveBack(bucket: string, address: string): void {
    const window = this.windows.get(this.keyOf(bucket, address));
    if (window && window.count > 0) window.count--;
  }

  /** Tracked keys, for tests of the memory bound. */
  get size(): number {
    return this.windows.size;
  }

  private keyOf(bucket: string, address: string): string {
    return createHmac('sha256', this.key).update(`${bucket}\u0000${address}`).digest('base64url').slice(0, 22);
  }

  private rotate(now: number): void {
    this.key = randomBytes(32);
    this.keyCreated = now;
    this.windows.clear();
  }

  private prune(now: number): void {
    for (const [id, window] of this.windows) {
      if (now - window.started >= HOUR || this.windows.size > MAX_KEYS * 0.9) this.windows.delete(id);
      else break;
    }
  }
}
