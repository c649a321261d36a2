/**
 * RFC 6962 inclusion proofs ("record proofs", Merkle audit paths, §2.1.1) and consistency proofs
 * ("tree proofs", §2.1.2), with the semantics of Go's tlog.ProveRecord, CheckRecord, ProveTree
 * and CheckTree: the same hashes in the same order, the same inputs refused.
 * https://www.rfc-editor.org/rfc/rfc6962#section-2.1.1
 */
import { bytesEqual } from './encoding.js';
import { ProofError } from './errors.js';
import {
  HASH_SIZE,
  HashCursor,
  maxPow2,
  nodeHash,
  readHashesChecked,
  requireCount,
  subtreeHash,
  subtreeIndexes,
  type Hash,
  type HashReader,
} from './hash.js';

/** Proof that a tree contains a record: the sibling hashes from the record up to the root. */
export type RecordProof = readonly Hash[];

/** Proof that a tree contains an earlier, smaller tree as a prefix. */
export type TreeProof = readonly Hash[];

/** The proof that the tree of size t contains the record with index n. */
export async function proveRecord(t: number, n: number, reader: HashReader): Promise<RecordProof> {
  requireCount(t, 'tree size');
  requireCount(n, 'record index');
  if (n >= t) throw new RangeError(`record ${n} is not in a tree of size ${t}`);
  return subtreeHashes(reader, recordProofRanges(t, n));
}

/** Throws {@link ProofError} unless `proof` shows that the tree (t, th) has hash h as record n. */
export function checkRecord(proof: RecordProof, t: number, th: Hash, n: number, h: Hash): void {
  if (!isCount(t) || !isCount(n) || n >= t) throw new ProofError(`invalid inputs: record ${n} of tree size ${t}`);
  if (!bytesEqual(runRecordProof(proof, 0, t, n, h), th)) throw new ProofError('invalid transparency proof');
}

/** The proof that the tree of size t contains the tree of size n (1 ≤ n ≤ t) as a prefix. */
export async function proveTree(t: number, n: number, reader: HashReader): Promise<TreeProof> {
  requireCount(t, 'tree size');
  requireCount(n, 'old tree size');
  if (n < 1 || n > t) throw new RangeError(`no consistency proof from size ${n} to size ${t}`);
  return subtreeHashes(reader, treeProofRanges(t, n));
}

/** Throws {@link ProofError} unless `proof` shows that the tree (t, th) extends the tree (n, h). */
export function checkTree(proof: TreeProof, t: number, th: Hash, n: number, h: Hash): void {
  if (!isCount(t) || !isCount(n) || n < 1 || n > t) throw new ProofError(`invalid inputs: tree size ${n} to ${t}`);
  const { oldHash, newHash } = runTreeProof(proof, 0, t, n, h);
  if (!bytesEqual(newHash, th) || !bytesEqual(oldHash, h)) throw new ProofError('invalid transparency proof');
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** Records [lo, hi): a subtree whose hash is one element of a proof. */
interface Range {
  readonly lo: number;
  readonly hi: number;
}

/**
 * RFC 6962 PATH(n, D[0:t]): walking down from the root towards leaf n, the subtree beside each
 * step; the proof lists them deepest first. (The verifier knows the leaf hash itself.)
 */
function recordProofRanges(t: number, n: number): Range[] {
  const siblings: Range[] = [];
  for (let lo = 0, hi = t; hi - lo > 1; ) {
    const mid = lo + maxPow2(hi - lo).k;
    if (n < mid) {
      siblings.push({ lo: mid, hi });
      hi = mid;
    } else {
      siblings.push({ lo, hi: mid });
      lo = mid;
    }
  }
  return siblings.reverse();
}

/**
 * RFC 6962 PROOF(n, D[0:t]): walking down until the subtree ends where the old tree does, the
 * subtree beside each step; then that subtree itself, unless it is the whole old tree [0, n).
 */
function treeProofRanges(t: number, n: number): Range[] {
  const siblings: Range[] = [];
  let lo = 0;
  let hi = t;
  while (n !== hi) {
    const mid = lo + maxPow2(hi - lo).k;
    if (n <= mid) {
      siblings.push({ lo: mid, hi });
      hi = mid;
    } else {
      siblings.push({ lo, hi: mid });
      lo = mid;
    }
  }
  if (lo !== 0) siblings.push({ lo, hi });
  return siblings.reverse();
}

/** The hashes of the ranges, from one read of stored hashes in increasing order (as Go reads them). */
async function subtreeHashes(reader: HashReader, ranges: readonly Range[]): Promise<Hash[]> {
  if (ranges.length === 0) return [];
  const leftToRight = [...ranges].sort((a, b) => a.lo - b.lo);
  const indexes: number[] = [];
  for (const range of leftToRight) subtreeIndexes(range.lo, range.hi, indexes);
  const cursor = new HashCursor(await readHashesChecked(reader, indexes));
  const hashes = new Map(leftToRight.map((range) => [range, subtreeHash(range.lo, range.hi, cursor)]));
  cursor.finish();
  return ranges.map((range) => hashes.get(range)!);
}

/** The root of [lo, hi) implied by the proof; refuses a proof with hashes missing or to spare. */
function runRecordProof(proof: RecordProof, lo: number, hi: number, n: number, leaf: Hash): Hash {
  if (lo + 1 === hi) {
    if (proof.length !== 0) throw new ProofError('invalid transparency proof');
    return leaf;
  }
  const sibling = lastProofHash(proof);
  const rest = proof.slice(0, -1);
  const { k } = maxPow2(hi - lo);
  if (n < lo + k) return nodeHash(runRecordProof(rest, lo, lo + k, n, leaf), sibling);
  return nodeHash(sibling, runRecordProof(rest, lo + k, hi, n, leaf));
}

/** The hashes of [lo, hi) in the old tree (size n) and in the new one, implied by the proof. */
function runTreeProof(proof: TreeProof, lo: number, hi: number, n: number, old: Hash): { oldHash: Hash; newHash: Hash } {
  if (n === hi) {
    if (lo === 0) {
      if (proof.length !== 0) throw new ProofError('invalid transparency proof');
      return { oldHash: old, newHash: old };
    }
    if (proof.length !== 1) throw new ProofError('invalid transparency proof');
    const only = lastProofHash(proof);
    return { oldHash: only, newHash: only };
  }
  const sibling = lastProofHash(proof);
  const rest = proof.slice(0, -1);
  const { k } = maxPow2(hi - lo);
  if (n <= lo + k) {
    const inner = runTreeProof(rest, lo, lo + k, n, old);
    return { oldHash: inner.oldHash, newHash: nodeHash(inner.newHash, sibling) };
  }
  const inner = runTreeProof(rest, lo + k, hi, n, old);
  return { oldHash: nodeHash(sibling, inner.oldHash), newHash: nodeHash(sibling, inner.newHash) };
}

function lastProofHash(proof: readonly Hash[]): Hash {
  const hash = proof[proof.length - 1];
  if (hash === undefined) throw new ProofError('invalid transparency proof');
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) throw new ProofError(`proof hash is not ${HASH_SIZE} bytes`);
  return hash;
}
