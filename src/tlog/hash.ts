/**
 * RFC 6962 Merkle tree hashing and the dense storage order of a log's hashes, as in Go's
 * golang.org/x/mod/sumdb/tlog: a record's hash is stored at `storedHashIndex(0, n)`, followed by
 * the hashes of the subtrees it completes (Crosby and Wallach, "Efficient Data Structures for
 * Tamper-Evident Logging", §3.3).
 *
 * Sizes and indexes are JavaScript numbers, so a log here holds at most 2^52 records; every
 * computation avoids the 32-bit bitwise operators for that reason.
 * https://www.rfc-editor.org/rfc/rfc6962#section-2.1
 */
import { createHash } from 'node:crypto';
import { MalformedError } from './errors.js';

/** Size of a SHA-256 hash in bytes. */
export const HASH_SIZE = 32;

/** A SHA-256 hash: a record hash, an interior node hash or a tree's root hash (32 bytes). */
export type Hash = Uint8Array;

/** Reads stored hashes by their storage index (see {@link storedHashIndex}); may be asynchronous. */
export interface HashReader {
  /** The hashes at the given storage indexes, in the same order (one hash per index). */
  readHashes(indexes: readonly number[]): readonly Hash[] | Promise<readonly Hash[]>;
}

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** The hash of a record (an RFC 6962 leaf): SHA-256(0x00 || data). */
export function recordHash(data: Uint8Array): Hash {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** The hash of an interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * The root hash of the empty tree, SHA-256 of nothing (RFC 6962 §2.1: MTH({}) = SHA-256()).
 * Go's tlog.TreeHash returns 32 zero bytes instead; checkpoints follow RFC 6962, so this does too.
 */
export function emptyTreeHash(): Hash {
  return createHash('sha256').digest();
}

/** A reader over hashes held in memory, index i of the array being storage index i. */
export function hashReaderFromArray(stored: readonly Hash[]): HashReader {
  return {
    readHashes(indexes) {
      return indexes.map((index) => {
        const hash = stored[index];
        if (hash === undefined) throw new RangeError(`no stored hash at index ${index}`);
        return hash;
      });
    },
  };
}

/** Maps tree coordinates (level, n) to the dense storage order. */
export function storedHashIndex(level: number, n: number): number {
  requireCount(level, 'level');
  requireCount(n, 'n');
  // Level L's n'th hash is written right after level L+1's 2n+1'th hash: walk down to level 0.
  let m = n;
  for (let l = level; l > 0; l--) m = 2 * m + 1;
  // Level 0's m'th hash is written at m + m/2 + m/4 + … (until m/2^i reaches zero).
  let index = 0;
  for (; m > 0; m = Math.floor(m / 2)) index += m;
  return index + level;
}

/** The inverse of {@link storedHashIndex}: the tree coordinates of a storage index. */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  requireCount(index, 'index');
  // storedHashIndex(0, n) < 2n, so the record n we want is in [index/2, index/2 + log2(index)].
  let n = Math.floor(index / 2);
  let indexN = storedHashIndex(0, n);
  for (;;) {
    // Each record n adds 1 + trailingOnes(n) hashes.
    const next = indexN + 1 + trailingOnes(n);
    if (next > index) break;
    n++;
    indexN = next;
  }
  // The hash was stored with record n: it is one of (0, n), (1, n/2), (2, n/4), …
  const level = index - indexN;
  return { level, n: Math.floor(n / 2 ** level) };
}

/** The number of stored hashes of a tree with n records. */
export function storedHashCount(n: number): number {
  requireCount(n, 'n');
  if (n === 0) return 0;
  // The hashes up to the last record's own, and those of the subtrees that record completes.
  return storedHashIndex(0, n - 1) + 1 + trailingOnes(n - 1);
}

/**
 * The hashes to store when appending record n with the given data, to be stored from
 * `storedHashIndex(0, n)` on: the record hash, then one hash per subtree it completes.
 * Reads at most log2(n) earlier hashes from the reader.
 */
export async function storedHashes(n: number, data: Uint8Array, reader: HashReader): Promise<Hash[]> {
  return storedHashesForRecordHash(n, recordHash(data), reader);
}

/** Like {@link storedHashes}, given the record's hash instead of its data. */
export async function storedHashesForRecordHash(n: number, hash: Hash, reader: HashReader): Promise<Hash[]> {
  requireCount(n, 'n');
  requireHash(hash, 'record hash');
  // Each trailing 1 bit of n completes a subtree and consumes the hash of the one beside it.
  const completed = trailingOnes(n);
  const indexes: number[] = [];
  for (let i = completed - 1; i >= 0; i--) indexes.push(storedHashIndex(i, Math.floor(n / 2 ** i) - 1));
  const siblings = completed === 0 ? [] : await readHashesChecked(reader, indexes);
  const hashes = [hash];
  let top = hash;
  for (let i = 0; i < completed; i++) {
    top = nodeHash(siblings[completed - 1 - i]!, top);
    hashes.push(top);
  }
  return hashes;
}

/**
 * The root hash of the tree of n records, from hashes stored by {@link storedHashes}: one read of
 * at most 1 + log2(n) hashes. The empty tree's root is {@link emptyTreeHash}.
 */
export async function treeHash(n: number, reader: HashReader): Promise<Hash> {
  requireCount(n, 'n');
  if (n === 0) return emptyTreeHash();
  const hashes = await readHashesChecked(reader, subtreeIndexes(0, n));
  return subtreeHash(0, n, new HashCursor(hashes));
}

// ---------------------------------------------------------------------------------------------
// Shared with proofs.ts and tiles.ts (not part of the public API).

/** Hashes consumed in order by the recursive proof and subtree computations. */
export class HashCursor {
  private at = 0;

  constructor(private readonly hashes: readonly Hash[]) {}

  /** The next unread hash. */
  next(): Hash {
    const hash = this.hashes[this.at++];
    if (hash === undefined) throw new Error('tlog: bad index math (ran out of hashes)');
    return hash;
  }

  /** Fails unless every hash was used: a planning and a computing function disagree. */
  finish(): void {
    if (this.at !== this.hashes.length) throw new Error('tlog: bad index math (hashes left over)');
  }
}

/** k, the largest power of 2 smaller than n (1 when n ≤ 2), and log2(k). */
export function maxPow2(n: number): { k: number; level: number } {
  let k = 1;
  let level = 0;
  while (k * 2 < n) {
    k *= 2;
    level++;
  }
  return { k, level };
}

/** Storage indexes of the perfect subtrees whose hashes make the hash of records [lo, hi). */
export function subtreeIndexes(lo: number, hi: number, need: number[] = []): number[] {
  // Split [lo, hi) into the largest perfect left subtree and the fringe, repeatedly.
  for (let at = lo; at < hi; ) {
    const { k, level } = maxPow2(hi - at + 1);
    need.push(storedHashIndex(level, at / k));
    at += k;
  }
  return need;
}

/** The hash of records [lo, hi) from the hashes {@link subtreeIndexes} planned for it. */
export function subtreeHash(lo: number, hi: number, cursor: HashCursor): Hash {
  const parts: Hash[] = [];
  for (let at = lo; at < hi; at += maxPow2(hi - at + 1).k) parts.push(cursor.next());
  let hash = parts[parts.length - 1]!;
  for (let i = parts.length - 2; i >= 0; i--) hash = nodeHash(parts[i]!, hash);
  return hash;
}

/** Reads hashes and checks the reader kept its contract: one 32-byte hash per index. */
export async function readHashesChecked(reader: HashReader, indexes: readonly number[]): Promise<readonly Hash[]> {
  const hashes = await reader.readHashes(indexes);
  if (hashes.length !== indexes.length) {
    throw new Error(`tlog: readHashes(${indexes.length} indexes) returned ${hashes.length} hashes`);
  }
  for (const hash of hashes) requireHash(hash, 'stored hash');
  return hashes;
}

/** The number of trailing 1 bits of n (Go: bits.TrailingZeros64(n + 1)). */
export function trailingOnes(n: number): number {
  let count = 0;
  for (let m = n; m % 2 === 1; m = (m - 1) / 2) count++;
  return count;
}

/** Throws unless the value is a count or index this library can compute with exactly. */
export function requireCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer below 2^53, not ${value}`);
  }
}

/** Throws unless the value is a 32-byte hash. */
export function requireHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new MalformedError('hash', `${what} must be ${HASH_SIZE} bytes`);
  }
}
