/**
 * A small, fast, seedable pseudo-random source (mulberry32) for synthetic demo data, so that a
 * seed always gives the same statements. Not for anything secret: receipts use the CSPRNG.
 */
export interface DemoRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** An index into `weights`, chosen in proportion to them. */
  weighted(weights: readonly number[]): number;
}

/** A DemoRandom from a 32-bit seed. */
export function demoRandom(seed: number): DemoRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)]!,
    chance: (p) => next() < p,
    weighted(weights) {
      let total = 0;
      for (const w of weights) total += w;
      let at = next() * total;
      for (let i = 0; i < weights.length; i++) {
        at -= weights[i]!;
        if (at < 0) return i;
      }
      return weights.length - 1;
    },
  };
}
