import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRecord, checkTree, ProofError, proveRecord, proveTree, recordHash, treeHash } from '../../src/tlog/index.js';
import * as ct from './fixtures/ct-argon2020.js';
import { flipBit, MemoryLog } from './support/memory-log.js';
import { leafData, ReferenceTree } from './support/merkle-reference.js';

const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

test('a real Certificate Transparency inclusion proof verifies (Go TestCertificateTransparency)', () => {
  const root = fromB64(ct.sth.rootHash);
  const leaf = recordHash(fromB64(ct.leafInput));
  const proof = ct.auditPath.map(fromB64);
  checkRecord(proof, ct.sth.treeSize, root, ct.leafIndex, leaf);
  assert.throws(() => checkRecord(proof, ct.sth.treeSize, root, ct.leafIndex + 1, leaf), ProofError);
  // (A slightly different size can share the path's shape; a tree of another depth cannot.)
  assert.throws(() => checkRecord(proof, 2 ** 20, root, ct.leafIndex, leaf), ProofError);
  assert.throws(() => checkRecord(proof, ct.sth.treeSize, root, ct.leafIndex, flipBit(leaf, 100)), ProofError);
});

test('a real Certificate Transparency consistency proof verifies (Go TestCertificateTransparency)', () => {
  const root = fromB64(ct.sth.rootHash);
  const old = fromB64(ct.consistencyFrom.rootHash);
  const proof = ct.consistencyProof.map(fromB64);
  checkTree(proof, ct.sth.treeSize, root, ct.consistencyFrom.treeSize, old);
  assert.throws(() => checkTree(proof, ct.sth.treeSize, root, ct.consistencyFrom.treeSize, flipBit(old, 7)), ProofError);
  assert.throws(() => checkTree(proof, ct.sth.treeSize, flipBit(root, 255), ct.consistencyFrom.treeSize, old), ProofError);
  assert.throws(() => checkTree(proof.slice(1), ct.sth.treeSize, root, ct.consistencyFrom.treeSize, old), ProofError);
});

const MAX = 300;

test(`every inclusion proof to size ${MAX} is RFC 6962's audit path, verifies, and fails with any bit of it flipped`, async () => {
  const log = await MemoryLog.ofSize(MAX);
  const reference = new ReferenceTree(Array.from({ length: MAX }, (_, i) => leafData(i)));
  for (let t = 1; t <= MAX; t++) {
    const root = await treeHash(t, log.reader);
    for (let n = 0; n < t; n++) {
      const proof = await proveRecord(t, n, log.reader);
      assert.deepEqual(proof, reference.path(n, 0, t), `PATH(${n}, D[${t}])`);
      const leaf = recordHash(leafData(n));
      checkRecord(proof, t, root, n, leaf);
      // Exhaustive corruption for the smaller trees, one bit per proof hash beyond.
      if (t <= 64 || n % 17 === 0) {
        for (let k = 0; k < proof.length; k++) {
          const bad = proof.map((h, i) => (i === k ? flipBit(h, (k * 37 + n) % 256) : h));
          assert.throws(() => checkRecord(bad, t, root, n, leaf), ProofError, `corrupt hash #${k} of (${t}, ${n})`);
        }
        assert.throws(() => checkRecord(proof, t, root, n, flipBit(leaf, n % 256)), ProofError);
        assert.throws(() => checkRecord(proof, t, flipBit(root, t % 256), n, leaf), ProofError);
      }
    }
  }
});

test(`every consistency proof between sizes to ${MAX / 2} is RFC 6962's PROOF and verifies; a flipped bit fails`, async () => {
  const max = MAX / 2;
  const log = await MemoryLog.ofSize(MAX);
  const reference = new ReferenceTree(Array.from({ length: MAX }, (_, i) => leafData(i)));
  const roots: Uint8Array[] = [];
  for (let t = 0; t <= MAX; t++) roots.push(await treeHash(t, log.reader));
  const pairs: [number, number][] = [];
  for (let t = 1; t <= max; t++) for (let n = 1; n <= t; n++) pairs.push([t, n]);
  // And a sample of pairs up to the full size.
  for (let t = max + 1; t <= MAX; t += 7) for (let n = 1; n <= t; n += 13) pairs.push([t, n]);
  for (const [t, n] of pairs) {
    const proof = await proveTree(t, n, log.reader);
    assert.deepEqual(proof, reference.proof(n, t), `PROOF(${n}, D[${t}])`);
    checkTree(proof, t, roots[t]!, n, roots[n]!);
    for (let k = 0; k < proof.length; k++) {
      const bad = proof.map((h, i) => (i === k ? flipBit(h, (k * 53 + t) % 256) : h));
      assert.throws(() => checkTree(bad, t, roots[t]!, n, roots[n]!), ProofError, `corrupt hash #${k} of (${t}, ${n})`);
    }
    assert.throws(() => checkTree(proof, t, roots[t]!, n, flipBit(roots[n]!, 3)), ProofError);
    assert.throws(() => checkTree(proof, t, flipBit(roots[t]!, 5), n, roots[n]!), ProofError);
  }
});

test('a proof is built from one read of stored hashes in increasing order, as Go reads them', async () => {
  const log = await MemoryLog.ofSize(300);
  for (const [t, n] of [[300, 1], [300, 299], [300, 150], [257, 256], [256, 100], [300, 255], [300, 300]] as const) {
    for (const prove of [proveRecord, proveTree]) {
      if (prove === proveRecord && n >= t) continue;
      const reads: number[][] = [];
      await prove(t, n, { readHashes: (indexes) => (reads.push([...indexes]), log.reader.readHashes(indexes)) });
      assert.ok(reads.length <= 1);
      for (const read of reads) assert.deepEqual(read, [...new Set(read)].sort((a, b) => a - b), `${prove.name}(${t}, ${n})`);
    }
  }
});

test('a proof with a hash missing, one to spare, or of the wrong length is refused', async () => {
  const log = await MemoryLog.ofSize(100);
  const root = await treeHash(100, log.reader);
  const old = await treeHash(37, log.reader);
  const record = await proveRecord(100, 42, log.reader);
  const tree = await proveTree(100, 37, log.reader);
  const leaf = recordHash(leafData(42));
  const spare = new Uint8Array(32);
  for (const bad of [record.slice(1), record.slice(0, -1), [...record, spare], [spare, ...record], []]) {
    assert.throws(() => checkRecord(bad, 100, root, 42, leaf), ProofError);
  }
  for (const bad of [tree.slice(1), tree.slice(0, -1), [...tree, spare], [spare, ...tree], []]) {
    assert.throws(() => checkTree(bad, 100, root, 37, old), ProofError);
  }
  const short = record.map((h, i) => (i === 0 ? h.subarray(0, 31) : h));
  assert.throws(() => checkRecord(short, 100, root, 42, leaf), ProofError);
});

test('a tree proves itself with an empty proof, and only against its own root', async () => {
  const log = await MemoryLog.ofSize(10);
  const root = await treeHash(10, log.reader);
  assert.deepEqual(await proveTree(10, 10, log.reader), []);
  checkTree([], 10, root, 10, root);
  const smaller = await treeHash(9, log.reader);
  assert.throws(() => checkTree([], 10, root, 10, smaller), ProofError);
  assert.deepEqual(await proveRecord(1, 0, log.reader), []);
});

test('proofs outside the tree are refused, as Go refuses them', async () => {
  const log = await MemoryLog.ofSize(10);
  const root = await treeHash(10, log.reader);
  await assert.rejects(proveRecord(10, 10, log.reader), RangeError);
  await assert.rejects(proveRecord(0, 0, log.reader), RangeError);
  await assert.rejects(proveTree(10, 11, log.reader), RangeError);
  await assert.rejects(proveTree(10, 0, log.reader), RangeError);
  assert.throws(() => checkRecord([], 10, root, 10, root), ProofError);
  assert.throws(() => checkRecord([], 10, root, -1, root), ProofError);
  assert.throws(() => checkTree([], 10, root, 0, root), ProofError);
  assert.throws(() => checkTree([], 10, root, 11, root), ProofError);
});
