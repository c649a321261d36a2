/**
 * Near-identical statement texts, found with MinHash over character shingles and
 * locality-sensitive hashing (Broder 1997; Leskovec, Rajaraman & Ullman, "Mining of Massive
 * Datasets", ch. 3). Characters rather than words, because Chinese has no spaces.
 * Two texts share a band with high probability when their shingle sets overlap by about 70 %.
 */
const SHINGLE = 5;
const HASHES = 32;
const ROWS_PER_BAND = 4;
/** Shorter texts ("I withdraw.") are alike by nature and would only make noise. */
const MIN_LENGTH = 40;

const SEEDS = Array.from({ length: HASHES }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) ^ 0x85ebca6b) >>> 0);

function normalise(text: string): string[] {
  return Array.from(text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, ''));
}

/** FNV-1a over the shingle, mixed with a seed (murmur3 finaliser). */
function hash(shingle: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < shingle.length; i++) {
    h ^= shingle.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The MinHash signature of a text, or null when it is too short to compare. */
export function minHashSignature(text: string | null): number[] | null {
  if (!text) return null;
  const chars = normalise(text);
  if (chars.length < MIN_LENGTH) return null;
  const shingles = new Set<string>();
  for (let i = 0; i + SHINGLE <= chars.length; i++) shingles.add(chars.slice(i, i + SHINGLE).join(''));
  const signature = new Array<number>(HASHES).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let k = 0; k < HASHES; k++) {
      const value = hash(shingle, SEEDS[k]!);
      if (value < signature[k]!) signature[k] = value;
    }
  }
  return signature;
}

/** The LSH band keys stored for a text; texts sharing one are candidates for "near-identical". */
export function textBands(text: string | null): string[] {
  const signature = minHashSignature(text);
  if (!signature) return [];
  const bands: string[] = [];
  for (let b = 0; b < HASHES / ROWS_PER_BAND; b++) {
    const rows = signature.slice(b * ROWS_PER_BAND, (b + 1) * ROWS_PER_BAND);
    bands.push(`${b}:${rows.map((r) => r.toString(36)).join('.')}`);
  }
  return bands;
}

/** Estimated Jaccard similarity of two texts' shingle sets, 0…1. */
export function textSimilarity(a: string | null, b: string | null): number {
  const sa = minHashSignature(a);
  const sb = minHashSignature(b);
  if (!sa || !sb) return 0;
  let same = 0;
  for (let k = 0; k < HASHES; k++) if (sa[k] === sb[k]) same++;
  return same / HASHES;
}
