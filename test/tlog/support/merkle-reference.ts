// An independent reference for the tests: RFC 6962 §2.1 written out as the RFC states it,
// recursion over the list of leaves, sharing no code with src/tlog. Memoised by range so that
// every pair of sizes up to a few hundred stays fast.
import { createHash } from 'node:crypto';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The leaves of the test logs: "leaf <i>", as in Go's tlog tests. */
export function leafData(i: number): Uint8Array {
  return Buffer.from(`leaf ${i}`);
}

export class ReferenceTree {
  private readonly memo = new Map<string, Uint8Array>();

  constructor(private readonly leaves: readonly Uint8Array[]) {}

  /** MTH(D[lo:hi]). */
  mth(lo: number, hi: number): Uint8Array {
    const key = `${lo}:${hi}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    let value: Uint8Array;
    if (hi - lo === 0) value = sha256();
    else if (hi - lo === 1) value = sha256(Uint8Array.of(0), this.leaves[lo]!);
    else {
      const k = largestPowerOfTwoBelow(hi - lo);
      value = sha256(Uint8Array.of(1), this.mth(lo, lo + k), this.mth(lo + k, hi));
    }
    this.memo.set(key, value);
    return value;
  }

  /** PATH(m, D[lo:hi]) of RFC 6962 §2.1.1, for leaf lo + m. */
  path(m: number, lo: number, hi: number): Uint8Array[] {
    const n = hi - lo;
    if (n === 1) return [];
    const k = largestPowerOfTwoBelow(n);
    if (m < k) return [...this.path(m, lo, lo + k), this.mth(lo + k, hi)];
    return [...this.path(m - k, lo + k, hi), this.mth(lo, lo + k)];
  }

  /** PROOF(m, D[0:n]) of RFC 6962 §2.1.2. */
  proof(m: number, n: number): Uint8Array[] {
    return this.subproof(m, 0, n, true);
  }

  private subproof(m: number, lo: number, hi: number, b: boolean): Uint8Array[] {
    const n = hi - lo;
    if (m === n) return b ? [] : [this.mth(lo, hi)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...this.subproof(m, lo, lo + k, b), this.mth(lo + k, hi)];
    return [...this.subproof(m - k, lo + k, hi, false), this.mth(lo, lo + k)];
  }
}

/** The largest power of two strictly smaller than n (n ≥ 2), by the RFC's definition. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
