import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  emptyTreeHash,
  nodeHash,
  recordHash,
  splitStoredHashIndex,
  storedHashCount,
  storedHashIndex,
  treeHash,
} from '../../src/tlog/index.js';
import { MemoryLog } from './support/memory-log.js';
import { leafData, ReferenceTree, sha256 } from './support/merkle-reference.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

test('record and node hashes are RFC 6962 leaf and interior hashes', () => {
  // Go tlog's FormatTree vector: RecordHash("hello world").
  assert.equal(b64(recordHash(Buffer.from('hello world'))), 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=');
  const a = recordHash(Buffer.from('a'));
  const b = recordHash(Buffer.from('b'));
  assert.deepEqual(nodeHash(a, b), sha256(Uint8Array.of(1), a, b));
  assert.notDeepEqual(nodeHash(a, b), nodeHash(b, a));
});

test('the empty tree hashes to SHA-256 of nothing, as RFC 6962 defines it', async () => {
  assert.equal(Buffer.from(emptyTreeHash()).toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.deepEqual(await treeHash(0, { readHashes: () => [] }), emptyTreeHash());
});

test('the storage index splits back into the level and index it came from (Go TestSplitStoredHashIndex)', () => {
  for (let level = 0; level < 10; level++) {
    for (let n = 0; n < 100; n++) {
      assert.deepEqual(splitStoredHashIndex(storedHashIndex(level, n)), { level, n });
    }
  }
  // Every index is some node, and the order is dense: indexes 0…k map to distinct nodes.
  const seen = new Set<string>();
  for (let index = 0; index < 5000; index++) {
    const { level, n } = splitStoredHashIndex(index);
    assert.equal(storedHashIndex(level, n), index);
    seen.add(`${level}/${n}`);
  }
  assert.equal(seen.size, 5000);
});

test('storage indexes stay exact beyond 32 bits', () => {
  const n = 2 ** 40 + 12345;
  const index = storedHashIndex(3, n);
  assert.ok(index > 2 ** 43);
  assert.deepEqual(splitStoredHashIndex(index), { level: 3, n });
  assert.equal(storedHashCount(2 ** 40), 2 ** 41 - 1);
});

test('the root from stored hashes equals the RFC 6962 recursive root, for every size to 300 and some large ones', async () => {
  const sizes = [...Array.from({ length: 300 }, (_, i) => i + 1), 511, 512, 513, 1000, 1024, 4097, 65537];
  const max = Math.max(...sizes);
  const log = new MemoryLog();
  const reference = new ReferenceTree(Array.from({ length: max }, (_, i) => leafData(i)));
  for (const size of sizes) {
    while (log.size < size) await log.append(leafData(log.size));
    assert.equal(log.stored.length, storedHashCount(size), `StoredHashCount(${size})`);
    assert.deepEqual(await treeHash(size, log.reader), reference.mth(0, size), `root of size ${size}`);
  }
});

test('treeHash asks for at most 1 + log2(n) hashes, in increasing order, in one read', async () => {
  const log = await MemoryLog.ofSize(1000);
  for (const n of [1, 2, 3, 255, 256, 257, 999, 1000]) {
    const reads: number[][] = [];
    await treeHash(n, { readHashes: (indexes) => (reads.push([...indexes]), log.reader.readHashes(indexes)) });
    assert.equal(reads.length, 1);
    assert.ok(reads[0]!.length <= 1 + Math.log2(n));
    assert.deepEqual(reads[0], [...reads[0]!].sort((a, b) => a - b));
  }
});

test('a reader that returns the wrong number or size of hashes is refused', async () => {
  await assert.rejects(treeHash(5, { readHashes: () => [] }), /returned 0 hashes/);
  await assert.rejects(treeHash(5, { readHashes: (ix) => ix.map(() => new Uint8Array(31)) }), /32 bytes/);
});

test('sizes and indexes outside what a number holds exactly are refused', () => {
  for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) {
    assert.throws(() => storedHashIndex(0, bad), RangeError);
    assert.throws(() => storedHashCount(bad), RangeError);
  }
});
