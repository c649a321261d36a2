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
/**
 * Only this many UTF-16 code units of a text are compared (its beginning), so that a signature
 * costs a bounded amount of work whatever the text's length: about 2 ms on one core. Two
 * statements alike over their first 8,000 characters are near-identical enough for a hint.
 */
export const COMPARED_LENGTH = 8_000;

const SEEDS = Array.from({ length: HASHES }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) ^ 0x85ebca6b) >>> 0);

/** The part of a text that is compared: its first COMPARED_LENGTH code units, whole characters only. */
export function comparedPart(text: string): string {
  if (text.length <= COMPARED_LENGTH) return text;
  // A surrogate pair cut in two would become a replacement character: the cut goes before it.
  const last = text.charCodeAt(COMPARED_LENGTH - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? COMPARED_LENGTH - 1 : COMPARED_LENGTH);
}

/** The text as code points, compatibility-normalised, case-folded, without spaces or punctuation. */
function normalise(text: string): number[] {
  return Array.from(comparedPart(text).normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, ''), (c) => c.codePointAt(0)!);
}

/** FNV-1a over the shingle of SHINGLE code points starting at `start`. */
function baseHash(codes: number[], start: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < start + SHINGLE; i++) {
    h ^= codes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The k-th hash function: the base hash mixed with a seed by the murmur3 finaliser. */
function mix(base: number, seed: number): number {
  let h = base ^ seed;
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
  const codes = normalise(text);
  if (codes.length < MIN_LENGTH) return null;
  const shingles = new Set<number>();
  for (let i = 0; i + SHINGLE <= codes.length; i++) shingles.add(baseHash(codes, i));
  const signature = new Array<number>(HASHES).fill(0xffffffff);
  for (const base of shingles) {
    for (let k = 0; k < HASHES; k++) {
      const value = mix(base, SEEDS[k]!);
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

/**
 * Estimated Jaccard similarity of two texts' shingle sets from their bands (`textBands`), 0…1:
 * the bands hold the whole signature, so comparing two stored texts costs 32 integer comparisons
 * and no look at the texts themselves.
 */
export function bandSimilarity(a: readonly string[], b: readonly string[]): number {
  return signatureSimilarity(signatureOfBands(a), signatureOfBands(b));
}

function signatureSimilarity(sa: number[] | null, sb: number[] | null): number {
  if (!sa || !sb) return 0;
  let same = 0;
  for (let k = 0; k < HASHES; k++) if (sa[k] === sb[k]) same++;
  return same / HASHES;
}

/** The signature written in a text's bands, or null unless they are exactly one whole set. */
function signatureOfBands(bands: readonly string[]): number[] | null {
  const bandCount = HASHES / ROWS_PER_BAND;
  if (bands.length !== bandCount) return null;
  const signature = new Array<number>(HASHES).fill(NaN);
  for (const band of bands) {
    const [index, rows] = band.split(':');
    const b = Number(index);
    const values = rows?.split('.') ?? [];
    if (!Number.isInteger(b) || b < 0 || b >= bandCount || values.length !== ROWS_PER_BAND) return null;
    values.forEach((v, r) => (signature[b * ROWS_PER_BAND + r] = parseInt(v, 36)));
  }
  return signature.some(Number.isNaN) ? null : signature;
}
