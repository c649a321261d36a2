/**
 * tlog-tiles: the Merkle tree served as tiles of height 8, each a run of up to 256 consecutive
 * hashes of one level; level 0 holds record hashes, level L ≥ 1 the hashes of full tiles below.
 * The math follows Go's golang.org/x/mod/sumdb/tlog tile.go, including the reader that checks
 * every tile it fetches against a trusted tree head before returning a hash from it.
 * The height is a parameter only so that tests can run Go's small-height cases.
 * https://c2sp.org/tlog-tiles
 */
import { bytesEqual, concatBytes } from './encoding.js';
import { MalformedError, ProofError } from './errors.js';
import {
  HASH_SIZE,
  emptyTreeHash,
  nodeHash,
  readHashesChecked,
  requireCount,
  splitStoredHashIndex,
  storedHashIndex,
  subtreeIndexes,
  type Hash,
  type HashReader,
} from './hash.js';

/** Height of tlog-tiles tiles: each spans 8 levels of the tree. */
export const TILE_HEIGHT = 8;

/** Hashes in a full tile (2^8); a full tile is 8192 bytes. */
export const TILE_WIDTH = 256;

/** A tile: `width` consecutive hashes of tree level `8 × level`, from hash `256 × index` on. */
export interface Tile {
  readonly level: number;
  readonly index: number;
  /** 1 to 256; below 256 the tile is partial. */
  readonly width: number;
}

/** A tree head as a checkpoint states it: its size and root hash. */
export interface Tree {
  readonly size: number;
  readonly hash: Hash;
}

/** Fetches tile data (from storage, a mirror, a log over HTTP). */
export interface TileReader {
  /** The data of each tile, in order; each exactly `width × 32` bytes. */
  readTiles(tiles: readonly Tile[]): readonly Uint8Array[] | Promise<readonly Uint8Array[]>;
  /** Told which tiles were just proven to belong to the tree, and so may be cached. */
  saveTiles?(tiles: readonly Tile[], data: readonly Uint8Array[]): void | Promise<void>;
}

/** A hash reader whose every hash was proven against a tree head (see {@link tileHashReader}). */
export interface ProvenHashReader extends HashReader {
  readHashes(indexes: readonly number[]): Promise<Hash[]>;
}

/**
 * The tiles a tree of size `newSize` has that a tree of size `oldSize` does not: the full tiles
 * completed in between and, at each level that changed, the new partial tile.
 */
export function newTiles(oldSize: number, newSize: number, height = TILE_HEIGHT): Tile[] {
  requireCount(oldSize, 'old tree size');
  requireCount(newSize, 'new tree size');
  const full = 2 ** height;
  const tiles: Tile[] = [];
  for (let level = 0; Math.floor(newSize / 2 ** (height * level)) > 0; level++) {
    const oldN = Math.floor(oldSize / 2 ** (height * level));
    const newN = Math.floor(newSize / 2 ** (height * level));
    if (oldN === newN) continue;
    for (let index = Math.floor(oldN / full); index < Math.floor(newN / full); index++) tiles.push({ level, index, width: full });
    const index = Math.floor(newN / full);
    const width = newN - index * full;
    if (width > 0) tiles.push({ level, index, width });
  }
  return tiles;
}

/** Every tile of a tree of the given size: its full tiles and one partial tile per level at most. */
export function tilesForSize(size: number, height = TILE_HEIGHT): Tile[] {
  return newTiles(0, size, height);
}

/** The tile of least width that holds a stored hash, with the byte range its hash is computed from. */
export function tileForIndex(index: number, height = TILE_HEIGHT): { tile: Tile; start: number; end: number } {
  const { level, n } = splitStoredHashIndex(index);
  const tileLevel = Math.floor(level / height);
  const levelInTile = level - tileLevel * height;
  const perTile = 2 ** (height - levelInTile);
  const tileIndex = Math.floor(n / perTile);
  const nInTile = n - tileIndex * perTile;
  const span = 2 ** levelInTile;
  return {
    tile: { level: tileLevel, index: tileIndex, width: (nInTile + 1) * span },
    start: nInTile * span * HASH_SIZE,
    end: (nInTile + 1) * span * HASH_SIZE,
  };
}

/** The stored hash at `index`, computed from the data of `tile` (which must hold it). */
export function hashFromTile(tile: Tile, data: Uint8Array, index: number, height = TILE_HEIGHT): Hash {
  if (tile.width < 1 || tile.width > 2 ** height || tile.level < 0) throw new RangeError(`invalid tile ${describe(tile)}`);
  if (data.length < tile.width * HASH_SIZE) throw new MalformedError('tile', `${data.length} bytes are too few for ${describe(tile)}`);
  const { tile: holder, start, end } = tileForIndex(index, height);
  if (tile.level !== holder.level || tile.index !== holder.index || tile.width < holder.width) {
    throw new RangeError(`hash ${index} is in tile ${describe(holder)}, not ${describe(tile)}`);
  }
  return tileHash(data.subarray(start, end));
}

/** The data of a tile, read from stored hashes. */
export async function readTileData(tile: Tile, reader: HashReader, height = TILE_HEIGHT): Promise<Uint8Array> {
  const first = tile.index * 2 ** height;
  const indexes = Array.from({ length: tile.width }, (_, i) => storedHashIndex(height * tile.level, first + i));
  return concatBytes(await readHashesChecked(reader, indexes));
}

/**
 * A hash reader that answers from tiles of the given tree, checking every tile it reads against
 * the tree's root hash (full tiles through their parents): a hash it returns is proven to be in
 * the tree. Throws {@link ProofError} for tiles inconsistent with the tree.
 */
export function tileHashReader(tree: Tree, reader: TileReader, height = TILE_HEIGHT): ProvenHashReader {
  requireCount(tree.size, 'tree size');
  return { readHashes: (indexes) => readProvenHashes(tree, reader, height, indexes) };
}

/**
 * The root hash of the tree of `size` records, computed from tiles (nothing to trust yet: compare
 * it with a checkpoint's). The empty tree, which has no tiles, has {@link emptyTreeHash}.
 */
export async function treeHashFromTiles(size: number, reader: TileReader, height = TILE_HEIGHT): Promise<Hash> {
  requireCount(size, 'tree size');
  if (size === 0) return emptyTreeHash();
  const plan = new TilePlan();
  const roots = planRoots(plan, size, height);
  return rootFromTiles(roots, plan, await fetchTiles(reader, plan.tiles), height);
}

/**
 * Checks the data of one tile (full, or partial of any width the tree has reached) against a
 * tree head, reading the other tiles it needs from the reader. Throws {@link ProofError} if the
 * data is not the tree's.
 */
export async function verifyTile(tree: Tree, tile: Tile, data: Uint8Array, reader: TileReader, height = TILE_HEIGHT): Promise<void> {
  const inTree = tileParent(tile, 0, tree.size, height);
  if (inTree === null || tile.width > inTree.width) throw new ProofError(`tile ${describe(tile)} is not in a tree of size ${tree.size}`);
  if (data.length !== tile.width * HASH_SIZE) throw new MalformedError('tile', `${data.length} bytes for ${describe(tile)}`);
  const first = tile.index * 2 ** height;
  const indexes = Array.from({ length: tile.width }, (_, i) => storedHashIndex(height * tile.level, first + i));
  const proven = await tileHashReader(tree, reader, height).readHashes(indexes);
  if (!bytesEqual(concatBytes(proven), data)) throw new ProofError(`tile ${describe(tile)} does not match the tree`);
}

// ---------------------------------------------------------------------------------------------

/** The subtree hash of the 2^k consecutive hashes in data. */
function tileHash(data: Uint8Array): Hash {
  if (data.length === HASH_SIZE) return data.slice();
  const half = data.length / 2;
  return nodeHash(tileHash(data.subarray(0, half)), tileHash(data.subarray(half)));
}

/** Tile t's k'th ancestor, as wide as the tree of `size` makes it; null if that tree has none. */
function tileParent(t: Tile, k: number, size: number, height: number): Tile | null {
  const level = t.level + k;
  const index = Math.floor(t.index / 2 ** (k * height));
  const full = 2 ** height;
  const available = Math.floor(size / 2 ** (level * height));
  const first = index * full;
  if (first >= available) return null;
  return { level, index, width: Math.min(full, available - first) };
}

/** The tiles to fetch, each once, in the order parents before children. */
class TilePlan {
  readonly tiles: Tile[] = [];
  private readonly positions = new Map<string, number>();

  add(tile: Tile): number {
    const known = this.positionOf(tile);
    if (known !== undefined) return known;
    this.positions.set(key(tile), this.tiles.length);
    return this.tiles.push(tile) - 1;
  }

  positionOf(tile: Tile): number | undefined {
    return this.positions.get(key(tile));
  }
}

/** Plans the tiles holding the subtree roots that make the tree hash; returns (index, tile) pairs. */
function planRoots(plan: TilePlan, size: number, height: number): { index: number; at: number }[] {
  return subtreeIndexes(0, size).map((index) => ({ index, at: plan.add(tileParent(tileForIndex(index, height).tile, 0, size, height)!) }));
}

function rootFromTiles(roots: { index: number; at: number }[], plan: TilePlan, data: readonly Uint8Array[], height: number): Hash {
  const hashes = roots.map(({ index, at }) => hashFromTile(plan.tiles[at]!, data[at]!, index, height));
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
  return root;
}

async function fetchTiles(reader: TileReader, tiles: readonly Tile[]): Promise<readonly Uint8Array[]> {
  const data = await reader.readTiles(tiles);
  if (data.length !== tiles.length) throw new Error(`tlog: readTiles(${tiles.length} tiles) returned ${data.length}`);
  tiles.forEach((tile, i) => {
    if (data[i]!.length !== tile.width * HASH_SIZE) throw new MalformedError('tile', `${data[i]!.length} bytes for ${describe(tile)}`);
  });
  return data;
}

async function readProvenHashes(tree: Tree, reader: TileReader, height: number, indexes: readonly number[]): Promise<Hash[]> {
  if (indexes.length === 0) return [];
  const limit = storedHashIndex(0, tree.size);
  const plan = new TilePlan();
  const roots = planRoots(plan, tree.size, height);
  const proven = plan.tiles.length; // the tiles the root hash itself authenticates
  const holders = indexes.map((index) => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= limit) throw new RangeError(`hash ${index} is not in a tree of size ${tree.size}`);
    return planHolder(plan, tileForIndex(index, height).tile, tree.size, height);
  });
  const data = await fetchTiles(reader, plan.tiles);
  if (!bytesEqual(rootFromTiles(roots, plan, data, height), tree.hash)) throw new ProofError('downloaded inconsistent tile');
  // Every other tile is full and is checked against its parent, which was checked before it.
  for (let i = proven; i < plan.tiles.length; i++) {
    const tile = plan.tiles[i]!;
    const parent = tileParent(tile, 1, tree.size, height)!;
    const at = plan.positionOf(parent)!;
    const expected = hashFromTile(parent, data[at]!, storedHashIndex(parent.level * height, tile.index), height);
    if (!bytesEqual(tileHash(data[i]!), expected)) throw new ProofError('downloaded inconsistent tile');
  }
  await reader.saveTiles?.(plan.tiles, data);
  return indexes.map((index, i) => hashFromTile(plan.tiles[holders[i]!]!, data[holders[i]!]!, index, height));
}

/** Plans the tile holding a hash, and the ancestors that connect it to tiles already planned. */
function planHolder(plan: TilePlan, tile: Tile, size: number, height: number): number {
  let k = 0;
  for (; ; k++) {
    const ancestor = tileParent(tile, k, size, height);
    if (ancestor !== null && plan.positionOf(ancestor) !== undefined) break;
    if (k > 64) throw new Error('tlog: bad math in tileHashReader (no planned ancestor)');
  }
  let at = plan.positionOf(tileParent(tile, k, size, height)!)!;
  for (k--; k >= 0; k--) {
    const ancestor = tileParent(tile, k, size, height)!;
    // Only full tiles have parents; this one has a parent, so it must be full.
    if (ancestor.width !== 2 ** height) throw new Error('tlog: bad math in tileHashReader (partial tile with a parent)');
    at = plan.add(ancestor);
  }
  return at;
}

function key(tile: Tile): string {
  return `${tile.level}/${tile.index}/${tile.width}`;
}

function describe(tile: Tile): string {
  return `level ${tile.level} index ${tile.index} width ${tile.width}`;
}
