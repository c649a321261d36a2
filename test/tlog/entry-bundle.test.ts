import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEntryBundle, decodeEntryBundle, encodeEntryBundle, MalformedError, ProofError, readTileData } from '../../src/tlog/index.js';
import { MemoryLog } from './support/memory-log.js';
import { leafData } from './support/merkle-reference.js';

test('an entry bundle is each entry as a big-endian uint16 length and its bytes', () => {
  const bundle = encodeEntryBundle([Buffer.from('ab'), new Uint8Array(0), new Uint8Array(300).fill(7)]);
  assert.deepEqual(Buffer.from(bundle.subarray(0, 6)), Buffer.from([0x00, 0x02, 0x61, 0x62, 0x00, 0x00]));
  assert.deepEqual(Buffer.from(bundle.subarray(6, 8)), Buffer.from([0x01, 0x2c]));
  assert.equal(bundle.length, 4 + 2 + 2 + 300);
  const entries = decodeEntryBundle(bundle, 3);
  assert.deepEqual(entries.map((e) => Buffer.from(e).toString('hex')), ['6162', '', '07'.repeat(300)]);
});

test('bundles round-trip at every width and at the largest entry size', () => {
  for (const width of [1, 2, 100, 255, 256]) {
    const entries = Array.from({ length: width }, (_, i) => leafData(i));
    assert.deepEqual(decodeEntryBundle(encodeEntryBundle(entries), width).map((e) => Buffer.from(e)), entries.map((e) => Buffer.from(e)));
  }
  const largest = new Uint8Array(0xffff).fill(1);
  assert.equal(decodeEntryBundle(encodeEntryBundle([largest]))[0]!.length, 0xffff);
});

test('truncated, padded, empty or over-full bundles are refused', () => {
  const good = encodeEntryBundle([Buffer.from('abc'), Buffer.from('de')]);
  for (const bad of [
    new Uint8Array(0),
    good.subarray(0, good.length - 1),
    good.subarray(0, 1),
    Buffer.concat([good, Uint8Array.of(0)]),
    Buffer.concat([good, Uint8Array.of(0, 5, 1)]),
    Uint8Array.of(0xff, 0xff, 1, 2, 3),
    encodeEntryBundle(Array.from({ length: 256 }, () => new Uint8Array(0))).subarray(0, 511),
    Buffer.concat([encodeEntryBundle(Array.from({ length: 256 }, () => new Uint8Array(0))), Uint8Array.of(0, 0)]),
  ]) {
    assert.throws(() => decodeEntryBundle(bad), MalformedError, Buffer.from(bad).toString('hex').slice(0, 40));
  }
  assert.throws(() => decodeEntryBundle(good, 3), MalformedError);
  assert.throws(() => encodeEntryBundle([]), RangeError);
  assert.throws(() => encodeEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(0))), RangeError);
  assert.throws(() => encodeEntryBundle([new Uint8Array(0x10000)]), RangeError);
});

test('a bundle is checked against its level-0 tile: one changed entry fails', async () => {
  const log = await MemoryLog.ofSize(300);
  const entries = Array.from({ length: 44 }, (_, i) => leafData(256 + i));
  const tile = await readTileData({ level: 0, index: 1, width: 44 }, log.reader);
  checkEntryBundle(decodeEntryBundle(encodeEntryBundle(entries), 44), tile);
  const changed = entries.map((e, i) => (i === 20 ? Buffer.from('leaf 999') : e));
  assert.throws(() => checkEntryBundle(changed, tile), ProofError);
  assert.throws(() => checkEntryBundle(entries.slice(1), tile), ProofError);
  assert.throws(() => checkEntryBundle([...entries.slice(1), entries[0]!], tile), ProofError);
});
