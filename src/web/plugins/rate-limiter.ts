import { createHmac, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * Most windows kept per bucket. A bucket that is full refuses new keys (counted as rate-limited)
 * instead of forgetting live windows: a flood of new addresses must not reset anyone's limit.
 * Each bucket has its own bound, so a flood in one (receipt look-ups, say) cannot refuse another.
 */
export const MAX_KEYS_PER_BUCKET = 100_000;

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
 *
 * Memory is bounded per bucket (MAX_KEYS_PER_BUCKET). Windows that ended are dropped to make
 * room; live ones never are — when a bucket is full of live windows a new key is refused, as if
 * over its limit, until the oldest window ends.
 */
export class RateLimiter {
  private key = randomBytes(32);
  private keyCreated: number;
  private readonly buckets = new Map<string, Map<string, Window>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeysPerBucket: number = MAX_KEYS_PER_BUCKET,
  ) {
    this.keyCreated = now();
  }

  /** Counts one request of `bucket` from `address` against `limitPerHour`. */
  hit(bucket: string, address: string, limitPerHour: number): RateDecision {
    const now = this.now();
    if (now - this.keyCreated >= DAY) this.rotate(now);
    const windows = this.windowsOf(bucket);
    const id = this.keyOf(bucket, address);
    let window = windows.get(id);
    if (window && now - window.started >= HOUR) {
      windows.delete(id);
      window = undefined;
    }
    if (!window) {
      if (windows.size >= this.maxKeysPerBucket) dropEnded(windows, now);
      if (windows.size >= this.maxKeysPerBucket) return { allowed: false, retryAfterSeconds: untilOldestEnds(windows, now) };
      // Inserted last: a bucket's windows stay in the order they started, oldest first.
      window = { started: now, count: 0 };
      windows.set(id, window);
    }
    window.count++;
    return { allowed: window.count <= limitPerHour, retryAfterSeconds: secondsLeft(window, now) };
  }

  /** Whether `address` is still under `limitPerHour` in `bucket`, without counting a request. */
  check(bucket: string, address: string, limitPerHour: number): RateDecision {
    const now = this.now();
    const windows = this.buckets.get(bucket);
    const window = windows?.get(this.keyOf(bucket, address));
    if (!windows || !window || now - window.started >= HOUR) {
      // A new key in a bucket full of live windows would be refused by hit().
      const full = windows !== undefined && windows.size >= this.maxKeysPerBucket && untilOldestEnds(windows, now) > 0;
      return full ? { allowed: false, retryAfterSeconds: untilOldestEnds(windows, now) } : { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: window.count < limitPerHour, retryAfterSeconds: secondsLeft(window, now) };
  }

  /** Returns one counted request (for example a sign-in that succeeded). */
  giveBack(bucket: string, address: string): void {
    const window = this.buckets.get(bucket)?.get(this.keyOf(bucket, address));
    if (window && window.count > 0) window.count--;
  }

  /** Tracked keys in all buckets, for tests of the memory bound. */
  get size(): number {
    let size = 0;
    for (const windows of this.buckets.values()) size += windows.size;
    return size;
  }

  private windowsOf(bucket: string): Map<string, Window> {
    let windows = this.buckets.get(bucket);
    if (!windows) this.buckets.set(bucket, (windows = new Map()));
    return windows;
  }

  private keyOf(bucket: string, address: string): string {
    // A fresh flat string (not a slice that would keep the whole digest alive): 16 bytes suffice.
    return createHmac('sha256', this.key).update(`${bucket}\u0000${networkOf(address)}`).digest().toString('base64url', 0, 16);
  }

  private rotate(now: number): void {
    this.key = randomBytes(32);
    this.keyCreated = now;
    this.buckets.clear();
  }
}

function secondsLeft(window: Window, now: number): number {
  return Math.max(1, Math.ceil((window.started + HOUR - now) / 1000));
}

/** Drops the windows that ended, from the oldest, up to the first that has not. */
function dropEnded(windows: Map<string, Window>, now: number): void {
  for (const [id, window] of windows) {
    if (now - window.started < HOUR) break;
    windows.delete(id);
  }
}

/** Seconds until the oldest window ends (0 if it has), which frees a place for a new key. */
function untilOldestEnds(windows: Map<string, Window>, now: number): number {
  const oldest = windows.values().next().value;
  if (!oldest || now - oldest.started >= HOUR) return 0;
  return secondsLeft(oldest, now);
}

/**
 * What one client is counted as: an IPv6 address by its /64 (one subscriber line holds a whole
 * /64, so counting single addresses would give one client 2^64 allowances and let it fill a
 * bucket alone); an IPv4-mapped address as the IPv4 address; anything else as it is.
 */
export function networkOf(address: string): string {
  const bare = address.split('%')[0]!;
  if (!isIPv6(bare)) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  const [head = '', tail] = bare.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail counts as two groups; only the first four groups matter here.
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

