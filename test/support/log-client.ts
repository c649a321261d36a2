// A client of the transparency log as a mirror or `rcenter verify` would be: it reads only what
// the app serves (/log/key, /log/checkpoint, tiles and entry bundles) through app.inject, and
// checks it with src/tlog and an independent RFC 6962 reference (test/tlog/support).
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { decodeLogEntry, emptyTally, tallyEntry, type LogEntry, type LogTally } from '../../src/domain/log-entry.js';
import {
  decodeEntryBundle,
  entryBundlePath,
  noteVerifier,
  openCheckpoint,
  tilePath,
  TILE_WIDTH,
  type Checkpoint,
  type Tile,
  type TileReader,
} from '../../src/tlog/index.js';
import { ReferenceTree } from '../tlog/support/merkle-reference.js';

export interface ServedLog {
  checkpoint: Checkpoint;
  note: string;
  verifierKey: string;
  /** Every entry's bytes, from the entry bundles. */
  entries: Uint8Array[];
  decoded: LogEntry[];
  tally: LogTally;
}

/** GET a log resource; asserts 200 and returns its bytes and headers. */
export async function getLog(app: FastifyInstance, path: string) {
  const response = await app.inject({ method: 'GET', url: `/log/${path}` });
  assert.equal(response.statusCode, 200, `${path}: ${response.body}`);
  return { bytes: new Uint8Array(response.rawPayload), headers: response.headers, text: response.body };
}

/** The latest checkpoint, opened with the served key and origin. */
export async function servedCheckpoint(app: FastifyInstance, origin = 'renunciation-center.example/log') {
  const verifierKey = (await getLog(app, 'key')).text.trimEnd();
  const note = (await getLog(app, 'checkpoint')).text;
  const { checkpoint } = openCheckpoint(note, { origin, logVerifier: noteVerifier(verifierKey) });
  return { checkpoint, note, verifierKey };
}

/** The level-0 tiles (full and the last partial) of a tree of `size`, as entry-bundle tiles. */
export function bundleTiles(size: number): Tile[] {
  const tiles: Tile[] = [];
  for (let index = 0; index * TILE_WIDTH < size; index++) tiles.push({ level: 0, index, width: Math.min(TILE_WIDTH, size - index * TILE_WIDTH) });
  return tiles;
}

/**
 * Reads the whole log as served and checks it: the checkpoint's signature, every entry bundle
 * (decoded strictly), the root hash recomputed by the reference from the entries, and the count
 * recomputed from them (tallyEntry, which refuses an entry out of order or against the rules).
 */
export async function readServedLog(app: FastifyInstance, origin?: string): Promise<ServedLog> {
  const { checkpoint, note, verifierKey } = await servedCheckpoint(app, origin);
  const entries: Uint8Array[] = [];
  for (const tile of bundleTiles(checkpoint.size)) entries.push(...decodeEntryBundle((await getLog(app, entryBundlePath(tile))).bytes, tile.width));
  const decoded = entries.map((bytes) => decodeLogEntry(bytes));
  const tally = emptyTally();
  for (const entry of decoded) tallyEntry(tally, entry);
  const reference = new ReferenceTree(entries);
  assert.deepEqual(Buffer.from(reference.mth(0, checkpoint.size)), Buffer.from(checkpoint.rootHash), 'the root is the RFC 6962 hash of the served entries');
  return { checkpoint, note, verifierKey, entries, decoded, tally };
}

/** A TileReader over the app's hash tiles (for tileHashReader, proofs). */
export function servedTiles(app: FastifyInstance): TileReader {
  return { readTiles: (tiles) => Promise.all(tiles.map(async (tile) => (await getLog(app, tilePath(tile))).bytes)) };
}
