// The verifier rebuilds the tree from its records, tile by tile. Its tiles and roots must be the
// tlog library's (readTileData over storedHashes, treeHash) — at sizes around tile edges and
// beyond 65,536 records, where level-2 tiles appear.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TileTreeBuilder } from '../../src/commands/log-tree-check.js';
import { readTileData, recordHash, tilePath, tilesForSize, treeHash } from '../../src/tlog/index.js';
import { storeTree } from '../support/fake-log.js';

test('the rebuilt tiles and roots are the tlog library\'s', async () => {
  const size = 65_536 + 300;
  const records = Array.from({ length: size }, (_, i) => Buffer.from(`record ${i}\n`));
  const { reader } = await storeTree(records);
  const builder = new TileTreeBuilder();
  const rebuilt = new Map<string, Uint8Array>();
  const checkAt = new Set([1, 2, 255, 256, 257, 511, 512, 4097, 65_535, 65_536, 65_537, size]);
  for (let i = 0; i < size; i++) {
    for (const full of builder.append(recordHash(records[i]!))) rebuilt.set(tilePath(full.tile), full.data);
    if (checkAt.has(builder.size)) {
      assert.deepEqual(builder.root(), await treeHash(builder.size, reader), `root at ${builder.size}`);
      for (const partial of builder.partialTiles()) rebuilt.set(tilePath(partial.tile), partial.data);
      for (const tile of tilesForSize(builder.size)) {
        assert.deepEqual(rebuilt.get(tilePath(tile)), await readTileData(tile, reader), `${tilePath(tile)} at size ${builder.size}`);
      }
    }
  }
  assert.ok(tilesForSize(size).some((t) => t.level === 2), 'the test reaches level-2 tiles');
});
