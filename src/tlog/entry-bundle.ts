/**
 * tlog-tiles entry bundles: the records of one level-0 tile, each as a big-endian uint16 length
 * followed by that many bytes. Decoding refuses anything but an exact sequence of such entries.
 * https://c2sp.org/tlog-tiles#log-entries
 */
import { bytesEqual, concatBytes } from './encoding.js';
import { MalformedError, ProofError } from './errors.js';
import { HASH_SIZE, recordHash } from './hash.js';
import { TILE_WIDTH } from './tiles.js';

/** The largest entry a bundle can hold (its length is a uint16). */
export const MAX_ENTRY_SIZE = 0xffff;

/** The bundle of 1 to 256 entries. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length < 1 || entries.length > TILE_WIDTH) throw new RangeError(`a bundle holds 1 to ${TILE_WIDTH} entries, not ${entries.length}`);
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_SIZE) throw new RangeError(`an entry of ${entry.length} bytes exceeds ${MAX_ENTRY_SIZE}`);
    parts.push(Uint8Array.of(entry.length >>> 8, entry.length & 0xff), entry);
  }
  return concatBytes(parts);
}

/** The entries of a bundle; with `width`, exactly that many. Throws {@link MalformedError}. */
export function decodeEntryBundle(data: Uint8Array, width?: number): Uint8Array[] {
  const entries: Uint8Array[] = [];
  for (let at = 0; at < data.length; ) {
    if (entries.length === TILE_WIDTH) throw new MalformedError('entry bundle', `more than ${TILE_WIDTH} entries`);
    if (at + 2 > data.length) throw new MalformedError('entry bundle', `truncated length at byte ${at}`);
    const length = data[at]! * 256 + data[at + 1]!;
    if (at + 2 + length > data.length) throw new MalformedError('entry bundle', `entry ${entries.length} is truncated`);
    entries.push(data.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (entries.length === 0) throw new MalformedError('entry bundle', 'no entries');
  if (width !== undefined && entries.length !== width) throw new MalformedError('entry bundle', `${entries.length} entries, expected ${width}`);
  return entries;
}

/** Throws {@link ProofError} unless the entries hash to the hashes of their level-0 tile. */
export function checkEntryBundle(entries: readonly Uint8Array[], tileData: Uint8Array): void {
  if (tileData.length !== entries.length * HASH_SIZE) {
    throw new ProofError(`${entries.length} entries against a tile of ${tileData.length / HASH_SIZE} hashes`);
  }
  entries.forEach((entry, i) => {
    if (!bytesEqual(recordHash(entry), tileData.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE))) {
      throw new ProofError(`entry ${i} does not hash to its tile's record hash`);
    }
  });
}
