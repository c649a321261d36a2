import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryBundlePath, MalformedError, parseEntryBundlePath, parseTilePath, tilePath, type Tile } from '../../src/tlog/index.js';

test('a tile index is written in x-prefixed groups of three digits (tlog-tiles: 1234067 → x001/x234/067)', () => {
  assert.equal(tilePath({ level: 0, index: 1234067, width: 256 }), 'tile/0/x001/x234/067');
  assert.equal(tilePath({ level: 3, index: 1234067, width: 1 }), 'tile/3/x001/x234/067.p/1');
  assert.equal(tilePath({ level: 0, index: 0, width: 256 }), 'tile/0/000');
  assert.equal(tilePath({ level: 63, index: 999, width: 255 }), 'tile/63/999.p/255');
  assert.equal(tilePath({ level: 1, index: 1000, width: 256 }), 'tile/1/x001/000');
  assert.equal(entryBundlePath({ level: 0, index: 1234067, width: 17 }), 'tile/entries/x001/x234/067.p/17');
  assert.equal(entryBundlePath({ level: 0, index: 5, width: 256 }), 'tile/entries/005');
});

// Go's tilePaths table (tile_test.go), less the height element that C2SP paths do not carry:
// Go's tile/H/L/N[.p/W] is tile/L/N[.p/W] here, with full tiles 256 wide.
const goVectors: [string, Tile | null][] = [
  ['tile/0/001', { level: 0, index: 1, width: 256 }],
  ['tile/0/001.p/5', { level: 0, index: 1, width: 5 }],
  ['tile/5/x123/x456/078', { level: 5, index: 123456078, width: 256 }],
  ['tile/5/x123/x456/078.p/2', { level: 5, index: 123456078, width: 2 }],
  ['tile/0/x003/x057/500', { level: 0, index: 3057500, width: 256 }],
  ['tile/5/123/456/078', null],
  ['tile/-1/x123/x456/078', null],
  ['tile/data/x003/x057/500', null],
];

test('tile paths round-trip (Go TestTilePath vectors)', () => {
  for (const [path, tile] of goVectors) {
    if (tile === null) {
      assert.throws(() => parseTilePath(path), MalformedError, path);
      continue;
    }
    assert.equal(tilePath(tile), path);
    assert.deepEqual(parseTilePath(path), tile);
  }
});

test('every tile path written parses back to its tile', () => {
  for (const level of [0, 1, 2, 9, 10, 63]) {
    for (const index of [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 999_999, 1_000_000, 123_456_789_012, Number.MAX_SAFE_INTEGER]) {
      for (const width of [1, 2, 17, 100, 255, 256]) {
        const tile = { level, index, width };
        assert.deepEqual(parseTilePath(tilePath(tile)), tile);
        if (level === 0) assert.deepEqual(parseEntryBundlePath(entryBundlePath(tile)), tile);
      }
    }
  }
});

const malformed = [
  '', 'tile', 'tile/', 'tile/0', 'tile/0/', '/tile/0/000', 'tile/0/000/', 'tiles/0/000', 'Tile/0/000',
  // level: decimal 0–63, no leading zeroes
  'tile/00/000', 'tile/01/000', 'tile/64/000', 'tile/+1/000', 'tile/1e1/000', 'tile/ 1/000', 'tile/x/000',
  // index: groups of exactly three digits, x on all but the last, canonical (no leading x000 group)
  'tile/0/0', 'tile/0/00', 'tile/0/0000', 'tile/0/x000', 'tile/0/x001', 'tile/0/001/002', 'tile/0/x000/001',
  'tile/0/x001/x002', 'tile/0/X001/002', 'tile/0/xx01/002', 'tile/0/-01', 'tile/0/0a1', 'tile/0/x1/000',
  'tile/0/x001/x234/067/', 'tile/0/x009/x007/x199/x254/x740/x992/000', // beyond 2^53
  // partial width: 1–255, no leading zeroes, and 256 is a full tile without .p
  'tile/0/000.p/0', 'tile/0/000.p/256', 'tile/0/000.p/005', 'tile/0/000.p/', 'tile/0/000.p', 'tile/0/000.p/1/2',
  'tile/0/000.p/-1', 'tile/0/000.p/1e2', 'tile/0/000.q/5', 'tile/0/000p/5', 'tile/0/x001.p/000', 'tile/0/000.p/x5',
  'tile/entries/000', // an entry bundle is not a tile
  `tile/0/${'x001/'.repeat(40)}000`, // too long
];

test('malformed tile paths are refused', () => {
  for (const path of malformed) assert.throws(() => parseTilePath(path), MalformedError, JSON.stringify(path));
});

test('malformed entry bundle paths are refused', () => {
  for (const path of malformed.filter((p) => p.startsWith('tile/0/')).map((p) => p.replace('tile/0/', 'tile/entries/'))) {
    assert.throws(() => parseEntryBundlePath(path), MalformedError, JSON.stringify(path));
  }
  for (const path of ['tile/0/000', 'tile/entries', 'tile/entries/', 'tile/entry/000', 'tile/data/000', 'entries/000']) {
    assert.throws(() => parseEntryBundlePath(path), MalformedError, path);
  }
});

test('tiles that no path can name are refused when writing', () => {
  for (const tile of [
    { level: 0, index: 0, width: 0 },
    { level: 0, index: 0, width: 257 },
    { level: 64, index: 0, width: 256 },
    { level: -1, index: 0, width: 256 },
    { level: 0, index: -1, width: 256 },
    { level: 0, index: 1.5, width: 256 },
  ]) {
    assert.throws(() => tilePath(tile), RangeError, JSON.stringify(tile));
  }
  assert.throws(() => entryBundlePath({ level: 1, index: 0, width: 256 }), RangeError);
});
