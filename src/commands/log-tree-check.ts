import {
  decodeEntryBundle,
  emptyTreeHash,
  entryBundlePath,
  HASH_SIZE,
  MalformedError,
  nodeHash,
  recordHash,
  TILE_WIDTH,
  tilePath,
  type Hash,
  type Tile,
} from '../tlog/index.js';
import { inOrder, LogCheckFailure } from './log-verify-support.js';
import type { LogSource } from './log-source.js';

// Step 2 of `rcenter verify`: the whole tree rebuilt from the entries themselves. Every entry
// bundle is read in order, each entry hashed as a record (RFC 6962 leaf), the tree rebuilt tile
// by tile; every tile the log serves must equal the rebuilt one byte for byte, and the rebuilt
// root must be the checkpoint's. So nothing served is trusted: a tile, a bundle or the order of
// the entries that differs from what the checkpoint commits to is found, and named.

const TILE_BYTES = TILE_WIDTH * HASH_SIZE;
/** Most bytes of an entry bundle: 256 entries of at most 65,535 bytes, each with its 2-byte length. */
const MAX_BUNDLE_BYTES = TILE_WIDTH * (2 + 0xffff);
/** Bundles fetched ahead of the one being hashed, each with its tile: 8 requests (more only costs memory). */
const WINDOW = 4;

/** A tree of records rebuilt by appending their hashes: its tiles as they complete, and its root. */
export class TileTreeBuilder {
  size = 0;
  /** Per tile level L, the hashes of tree level 8L not yet in a full tile (fewer than 256). */
  private readonly pending: Hash[][] = [[]];
  private readonly fullTiles: number[] = [0];
  /** The roots of the perfect subtrees the records make, largest first (RFC 6962 fringe). */
  private readonly fringe: Hash[] = [];

  /** Appends a record hash; returns the full tiles it completed, level 0 first. */
  append(hash: Hash): { tile: Tile; data: Uint8Array }[] {
    const n = this.size++;
    this.fringe.push(hash);
    // Record n completes one subtree per trailing 1 bit; the 8th, 16th, … are tiles' roots.
    const tileRoots: Hash[] = [];
    for (let merged = 1, m = n; m % 2 === 1; merged++, m = (m - 1) / 2) {
      const right = this.fringe.pop()!;
      const joined = nodeHash(this.fringe.pop()!, right);
      this.fringe.push(joined);
      if (merged % 8 === 0) tileRoots.push(joined);
    }
    const completed: { tile: Tile; data: Uint8Array }[] = [];
    this.pending[0]!.push(hash);
    for (let level = 0; this.pending[level]!.length === TILE_WIDTH; level++) {
      completed.push({ tile: { level, index: this.fullTiles[level]!++, width: TILE_WIDTH }, data: Buffer.concat(this.pending[level]!) });
      this.pending[level] = [];
      (this.pending[level + 1] ??= []).push(tileRoots[level]!);
      this.fullTiles[level + 1] ??= 0;
    }
    return completed;
  }

  /** The partial tiles of the tree as it stands (one per level at most). */
  partialTiles(): { tile: Tile; data: Uint8Array }[] {
    return this.pending.flatMap((hashes, level) =>
      hashes.length === 0 ? [] : [{ tile: { level, index: this.fullTiles[level]!, width: hashes.length }, data: Buffer.concat(hashes) }],
    );
  }

  /** The tree hash of the records appended so far. */
  root(): Hash {
    if (this.fringe.length === 0) return emptyTreeHash();
    let root = this.fringe[this.fringe.length - 1]!;
    for (let i = this.fringe.length - 2; i >= 0; i--) root = nodeHash(this.fringe[i]!, root);
    return root;
  }
}

export interface TreeCheckOptions {
  /** The checkpoint's tree head. */
  size: number;
  rootHash: Hash;
  /** Sizes whose tree hash the caller wants (the state's old size, the stats' log.size). */
  rootsAt: readonly number[];
  /** Each entry, in order, once its bundle is read (throw to stop: the failure is the caller's). */
  onEntry(entry: Uint8Array, index: number): void;
  onProgress?(entries: number, total: number): void;
}

/**
 * Reads every entry of the tree the checkpoint names, checks every bundle and tile against the
 * tree the entries make and that tree's root against the checkpoint's; returns the tree hash at
 * each size of `rootsAt` (≤ size). Throws LogCheckFailure saying what differs.
 */
export async function checkEntriesAndTiles(source: LogSource, options: TreeCheckOptions): Promise<Map<number, Hash>> {
  const { size } = options;
  const wanted = new Set(options.rootsAt.filter((n) => n <= size));
  const roots = new Map<number, Hash>();
  const builder = new TileTreeBuilder();
  if (wanted.has(0)) roots.set(0, builder.root());
  const bundles = Math.ceil(size / TILE_WIDTH);
  const fetchBundle = async (i: number) => {
    const tile = { level: 0, index: i, width: Math.min(TILE_WIDTH, size - i * TILE_WIDTH) };
    const [entries, served] = await Promise.all([readBundle(source, tile), readTile(source, tile)]);
    return { tile, entries, served };
  };
  for await (const { tile, entries, served } of inOrder(bundles, WINDOW, fetchBundle)) {
    // A bundle is proven against its tiles before its entries are read: a tampered bundle is a tree failure.
    for (const entry of entries) {
      for (const full of builder.append(recordHash(entry))) {
        await compareTile(full.tile, full.data, full.tile.level === 0 ? served : await readTile(source, full.tile));
      }
      if (wanted.has(builder.size)) roots.set(builder.size, builder.root());
    }
    if (tile.width < TILE_WIDTH) await compareTile(tile, builder.partialTiles().find((p) => p.tile.level === 0)!.data, served);
    entries.forEach((entry, j) => options.onEntry(entry, tile.index * TILE_WIDTH + j));
    options.onProgress?.(builder.size, size);
  }
  for (const partial of builder.partialTiles()) {
    if (partial.tile.level > 0) await compareTile(partial.tile, partial.data, await readTile(source, partial.tile));
  }
  const root = builder.root();
  if (!Buffer.from(root).equals(Buffer.from(options.rootHash))) {
    throw new LogCheckFailure(`the ${size} entries make the root ${b64(root)}, not the checkpoint's ${b64(options.rootHash)}`);
  }
  return roots;
}

async function compareTile(tile: Tile, rebuilt: Uint8Array, served: Uint8Array): Promise<void> {
  if (!Buffer.from(served).equals(Buffer.from(rebuilt))) {
    const what = tile.level === 0 ? 'the hashes of the entries in its bundle' : 'the tiles below it';
    throw new LogCheckFailure(`${tilePath(tile)} is not ${what} (the tile or the entries were altered)`);
  }
}

/** A hash tile; a partial one the log no longer has is taken from its full tile (tlog-tiles allows that). */
async function readTile(source: LogSource, tile: Tile): Promise<Uint8Array> {
  const data = await readTileOrFull(source, tile, (t) => `log/${tilePath(t)}`, TILE_BYTES);
  const wantedBytes = tile.width * HASH_SIZE;
  if (data.length !== wantedBytes && !(data.length === TILE_BYTES && tile.width < TILE_WIDTH)) {
    throw new LogCheckFailure(`log/${tilePath(tile)} is ${data.length} bytes, not ${wantedBytes}`);
  }
  return data.subarray(0, wantedBytes);
}

async function readBundle(source: LogSource, tile: Tile): Promise<Uint8Array[]> {
  const data = await readTileOrFull(source, tile, (t) => `log/${entryBundlePath(t)}`, MAX_BUNDLE_BYTES);
  let entries: Uint8Array[];
  try {
    entries = decodeEntryBundle(data);
  } catch (error) {
    if (error instanceof MalformedError) throw new LogCheckFailure(`log/${entryBundlePath(tile)}: ${error.message}`);
    throw error;
  }
  // A full bundle read for a partial one holds more entries; only the first `width` are this tree's.
  if (entries.length !== tile.width && !(entries.length === TILE_WIDTH && tile.width < TILE_WIDTH)) {
    throw new LogCheckFailure(`log/${entryBundlePath(tile)} holds ${entries.length} entries, not ${tile.width}`);
  }
  return entries.slice(0, tile.width);
}

async function readTileOrFull(source: LogSource, tile: Tile, pathOf: (tile: Tile) => string, maxBytes: number): Promise<Uint8Array> {
  const data = await source.read(pathOf(tile), maxBytes);
  if (data !== undefined) return data;
  if (tile.width < TILE_WIDTH) {
    const full = await source.read(pathOf({ ...tile, width: TILE_WIDTH }), maxBytes);
    if (full !== undefined) return full;
  }
  throw new LogCheckFailure(`${pathOf(tile)} is missing`);
}

function b64(hash: Hash): string {
  return Buffer.from(hash).toString('base64');
}
