import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  hashFromTile,
  newTiles,
  ProofError,
  proveRecord,
  proveTree,
  checkRecord,
  checkTree,
  readTileData,
  recordHash,
  storedHashIndex,
  tileForIndex,
  tileHashReader,
  tilesForSize,
  treeHash,
  treeHashFromTiles,
  verifyTile,
  type Tile,
} from '../../src/tlog/index.js';
import { flipBit, MemoryLog } from './support/memory-log.js';
import { leafData, ReferenceTree } from './support/merkle-reference.js';
import { LogTiles } from './support/tile-store.js';

const summary = (tiles: Tile[]) => tiles.map((t) => `${t.level}/${t.index}/${t.width}`);

test('a tree of 70,000 records has the tiles tlog-tiles lists for it, and 256 records a full tile and a partial one', () => {
  const tiles = tilesForSize(70_000);
  const level0 = tiles.filter((t) => t.level === 0);
  assert.equal(level0.filter((t) => t.width === 256).length, 273);
  assert.deepEqual(summary(level0.filter((t) => t.width < 256)), ['0/273/112']);
  assert.deepEqual(summary(tiles.filter((t) => t.level > 0)), ['1/0/256', '1/1/17', '2/0/1']);
  assert.deepEqual(summary(tilesForSize(256)), ['0/0/256', '1/0/1']);
  assert.deepEqual(tilesForSize(0), []);
});

test('the tiles to publish between two sizes (Go TestNewTilesForSize, height 10)', () => {
  for (const [oldSize, newSize, want] of [
    [1, 1, 0], [100, 101, 1], [1023, 1025, 3], [1024, 1030, 1], [1030, 2000, 1], [1030, 10000, 10], [49516517, 49516586, 3],
  ] as const) {
    assert.equal(newTiles(oldSize, newSize, 10).length, want, `${oldSize} → ${newSize}`);
  }
});

test('publishing size after size yields exactly the tiles of the final tree, each partial tile once per width it reached', () => {
  let published = new Map<string, Tile>();
  for (let size = 1; size <= 600; size++) {
    for (const tile of newTiles(size - 1, size)) published.set(`${tile.level}/${tile.index}/${tile.width}`, tile);
    const current = summary(tilesForSize(size));
    for (const name of current) assert.ok(published.has(name), `size ${size} lacks ${name}`);
  }
  published = new Map([...published].filter(([, t]) => t.width === 256));
  assert.deepEqual([...published.keys()], summary(tilesForSize(600).filter((t) => t.width === 256)));
});

test('every stored hash is found in the tile tileForIndex names (Go TestTree, height 2)', async () => {
  const height = 2;
  const log = new MemoryLog();
  const tiles = new Map<string, Uint8Array>();
  for (let i = 0; i < 100; i++) {
    const before = log.stored.length;
    await log.append(leafData(i));
    for (const tile of newTiles(i, i + 1, height)) {
      const data = await readTileData(tile, log.reader, height);
      // A tile that grows keeps the bytes it had.
      const earlier = tiles.get(`${tile.level}/${tile.index}/${tile.width - 1}`);
      if (earlier) assert.deepEqual(data.subarray(0, earlier.length), earlier);
      tiles.set(`${tile.level}/${tile.index}/${tile.width}`, data);
    }
    for (let j = before; j < log.stored.length; j++) {
      const { tile } = tileForIndex(j, height);
      const data = tiles.get(`${tile.level}/${tile.index}/${tile.width}`);
      assert.ok(data, `tile for hash ${j} not stored at size ${i + 1}`);
      assert.deepEqual(hashFromTile(tile, data, j, height), log.stored[j]);
    }
  }
});

test('the root computed from tiles equals the RFC 6962 root, for every size to 300 and some large ones', async () => {
  const sizes = [...Array.from({ length: 300 }, (_, i) => i + 1), 1000, 65535, 65536, 65537];
  const log = new MemoryLog();
  const reference = new ReferenceTree(Array.from({ length: 65537 }, (_, i) => leafData(i)));
  for (const size of sizes) {
    while (log.size < size) await log.append(leafData(log.size));
    assert.deepEqual(await treeHashFromTiles(size, new LogTiles(log)), reference.mth(0, size), `size ${size}`);
  }
  assert.deepEqual(await treeHashFromTiles(0, new LogTiles(log)), reference.mth(0, 0));
});

test('hashes read through tiles are the stored ones, and proofs built from them verify (height 8)', async () => {
  const log = new MemoryLog();
  for (const size of [1, 2, 3, 255, 256, 257, 511, 512, 513, 1000, 65536, 65537]) {
    while (log.size < size) await log.append(leafData(log.size));
    const tree = { size, hash: await treeHash(size, log.reader) };
    const tiles = new LogTiles(log);
    const reader = tileHashReader(tree, tiles);
    const step = Math.max(1, Math.floor(size / 97));
    const indexes = [];
    for (let n = 0; n < size; n += step) indexes.push(storedHashIndex(0, n));
    assert.deepEqual(await reader.readHashes(indexes), indexes.map((i) => log.stored[i]));
    for (let n = 0; n < size; n += step) {
      checkRecord(await proveRecord(size, n, reader), size, tree.hash, n, recordHash(leafData(n)));
      const old = await treeHash(n + 1, log.reader);
      checkTree(await proveTree(size, n + 1, reader), size, tree.hash, n + 1, old);
    }
    assert.equal(tiles.saved, tiles.read, 'every tile read was proven and offered for saving');
  }
});

test('a tile reader serving one wrong hash anywhere is caught (Go TestTileHashReader, height 2, every size to 100)', async () => {
  const height = 2;
  const log = new MemoryLog();
  for (let size = 1; size <= 100; size++) {
    await log.append(leafData(log.size));
    const tree = { size, hash: await treeHash(size, log.reader) };
    const limit = storedHashIndex(0, size);
    const all = Array.from({ length: limit }, (_, i) => i);
    const honest = tileHashReader(tree, new LogTiles(log, height), height);
    assert.deepEqual(await honest.readHashes(all), log.stored.slice(0, limit));
    for (const index of all) assert.deepEqual(await honest.readHashes([index]), [log.stored[index]]);
    await assert.rejects(honest.readHashes([limit]), RangeError);

    for (const tampered of all) {
      // Zero the hash at `tampered` in its tile, or the bottom-row hashes it is computed from.
      const { tile: target, start, end } = tileForIndex(tampered, height);
      const zeroing = new LogTiles(log, height, (tile, data) => {
        if (tile.level !== target.level || tile.index !== target.index || end > data.length) return data;
        const copy = Uint8Array.from(data);
        copy.fill(0, start, end);
        return copy;
      });
      const reader = tileHashReader(tree, zeroing, height);
      await assert.rejects(reader.readHashes([tampered]), ProofError, `size ${size}, hash ${tampered} alone`);
      await assert.rejects(reader.readHashes(all), ProofError, `size ${size}, hash ${tampered} among all`);
      assert.equal(zeroing.saved, 0, 'nothing unproven is offered for saving');
    }
  }
});

test('one flipped bit in any tile of a height-8 tree is caught', async () => {
  const log = await MemoryLog.ofSize(66_000);
  const tree = { size: log.size, hash: await treeHash(log.size, log.reader) };
  // One record in every level-0 tile: every tile of the tree is read to prove these.
  const records = [...Array.from({ length: Math.ceil(log.size / 256) }, (_, i) => i * 256), log.size - 1];
  const indexes = records.map((n) => storedHashIndex(0, n));
  for (const target of tilesForSize(log.size).filter((t, i) => t.width < 256 || i % 37 === 0)) {
    for (const bit of [0, 8 * 32 * (target.width - 1) + 255]) {
      const flipping = new LogTiles(log, 8, (tile, data) =>
        tile.level === target.level && tile.index === target.index ? flipBit(data, bit) : data,
      );
      await assert.rejects(tileHashReader(tree, flipping).readHashes(indexes), ProofError, `${target.level}/${target.index}`);
    }
  }
});

test('a tile is verified against a checkpoint root, also an earlier partial width of it', async () => {
  const log = await MemoryLog.ofSize(70_000);
  const tree = { size: log.size, hash: await treeHash(log.size, log.reader) };
  const tiles = new LogTiles(log);
  for (const tile of [...tilesForSize(log.size).filter((t) => t.width < 256 || t.index % 50 === 0), { level: 0, index: 273, width: 7 }]) {
    const data = await readTileData(tile, log.reader);
    await verifyTile(tree, tile, data, tiles);
    await assert.rejects(verifyTile(tree, tile, flipBit(data, 3), tiles), ProofError);
  }
  const beyond = { level: 0, index: 273, width: 113 };
  await assert.rejects(verifyTile(tree, beyond, new Uint8Array(113 * 32), tiles), ProofError);
  await assert.rejects(verifyTile(tree, { level: 0, index: 274, width: 1 }, new Uint8Array(32), tiles), ProofError);
  const wrongTree = { size: tree.size, hash: flipBit(tree.hash) };
  await assert.rejects(verifyTile(wrongTree, { level: 0, index: 0, width: 256 }, await readTileData({ level: 0, index: 0, width: 256 }, log.reader), tiles), ProofError);
});

test('tile data of the wrong length is refused before it is used', async () => {
  const log = await MemoryLog.ofSize(300);
  const tree = { size: 300, hash: await treeHash(300, log.reader) };
  const short = new LogTiles(log, 8, (_tile, data) => data.subarray(32));
  await assert.rejects(tileHashReader(tree, short).readHashes([0]), /malformed tile/);
  await assert.rejects(treeHashFromTiles(300, short), /malformed tile/);
});
