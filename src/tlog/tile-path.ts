/**
 * The resource paths of tlog-tiles: `tile/<L>/<N>[.p/<W>]` for Merkle tree tiles and
 * `tile/entries/<N>[.p/<W>]` for entry bundles. N is written in zero-padded groups of three
 * digits, every group but the last prefixed with `x` (1234067 → `x001/x234/067`); `.p/<W>`
 * marks a partial tile of width 1 to 255. Parsing accepts exactly the paths these functions
 * write, as Go's ParseTilePath does by comparing with Tile.Path.
 * https://c2sp.org/tlog-tiles#merkle-tree
 */
import { MalformedError } from './errors.js';
import { TILE_WIDTH, type Tile } from './tiles.js';

/** The highest tile level a path may name. */
export const MAX_TILE_LEVEL = 63;

// The longest canonical path is below 50 characters; longer input is refused before any work.
const MAX_PATH_LENGTH = 64;

/** The path of a Merkle tree tile, `tile/<L>/<N>[.p/<W>]`. */
export function tilePath(tile: Tile): string {
  if (!Number.isInteger(tile.level) || tile.level < 0 || tile.level > MAX_TILE_LEVEL) {
    throw new RangeError(`tile level ${tile.level} is not between 0 and ${MAX_TILE_LEVEL}`);
  }
  return `tile/${tile.level}/${indexAndWidth(tile)}`;
}

/** The path of an entry bundle, `tile/entries/<N>[.p/<W>]`, named by its level-0 tile. */
export function entryBundlePath(tile: Tile): string {
  if (tile.level !== 0) throw new RangeError(`an entry bundle matches a level-0 tile, not level ${tile.level}`);
  return `tile/entries/${indexAndWidth(tile)}`;
}

/** The tile a `tile/<L>/<N>[.p/<W>]` path names; {@link MalformedError} for any other path. */
export function parseTilePath(path: string): Tile {
  const [tile, level, ...rest] = splitPath(path, 'tile path');
  if (tile !== 'tile' || level === undefined || !/^(?:0|[1-9][0-9]?)$/.test(level) || Number(level) > MAX_TILE_LEVEL) {
    throw new MalformedError('tile path', JSON.stringify(path));
  }
  return canonical(path, { level: Number(level), ...parseIndexAndWidth(path, rest, 'tile path') }, tilePath, 'tile path');
}

/** The level-0 tile an entry bundle path `tile/entries/<N>[.p/<W>]` names; else {@link MalformedError}. */
export function parseEntryBundlePath(path: string): Tile {
  const [tile, entries, ...rest] = splitPath(path, 'entry bundle path');
  if (tile !== 'tile' || entries !== 'entries') throw new MalformedError('entry bundle path', JSON.stringify(path));
  return canonical(path, { level: 0, ...parseIndexAndWidth(path, rest, 'entry bundle path') }, entryBundlePath, 'entry bundle path');
}

function indexAndWidth(tile: Tile): string {
  if (!Number.isSafeInteger(tile.index) || tile.index < 0) throw new RangeError(`tile index ${tile.index} is not a safe integer`);
  if (!Number.isInteger(tile.width) || tile.width < 1 || tile.width > TILE_WIDTH) {
    throw new RangeError(`tile width ${tile.width} is not between 1 and ${TILE_WIDTH}`);
  }
  let n = tile.index;
  let groups = group(n % 1000);
  while (n >= 1000) {
    n = Math.floor(n / 1000);
    groups = `x${group(n % 1000)}/${groups}`;
  }
  return tile.width === TILE_WIDTH ? groups : `${groups}.p/${tile.width}`;
}

function group(value: number): string {
  return String(value).padStart(3, '0');
}

function splitPath(path: string, format: string): string[] {
  if (typeof path !== 'string' || path.length > MAX_PATH_LENGTH) throw new MalformedError(format, 'too long');
  return path.split('/');
}

/** Index and width from the elements after the level: `x001`, `x234`, `067[.p]`, [`W`]. */
function parseIndexAndWidth(path: string, elements: string[], format: string): { index: number; width: number } {
  let width = TILE_WIDTH;
  let groups = elements;
  const beforeLast = elements[elements.length - 2];
  if (beforeLast?.endsWith('.p')) {
    const w = elements[elements.length - 1]!;
    if (!/^[1-9][0-9]{0,2}$/.test(w) || Number(w) >= TILE_WIDTH) throw new MalformedError(format, `partial width in ${JSON.stringify(path)}`);
    width = Number(w);
    groups = [...elements.slice(0, -2), beforeLast.slice(0, -'.p'.length)];
  }
  if (groups.length === 0) throw new MalformedError(format, `no index in ${JSON.stringify(path)}`);
  let index = 0;
  groups.forEach((element, i) => {
    const pattern = i === groups.length - 1 ? /^[0-9]{3}$/ : /^x[0-9]{3}$/;
    if (!pattern.test(element)) throw new MalformedError(format, `index element ${JSON.stringify(element)} in ${JSON.stringify(path)}`);
    index = index * 1000 + Number(element.replace('x', ''));
  });
  if (!Number.isSafeInteger(index)) throw new MalformedError(format, `index beyond 2^53 in ${JSON.stringify(path)}`);
  return { index, width };
}

/** Refuses a path that names the tile in a non-canonical way (a leading `x000/`, say). */
function canonical(path: string, tile: Tile, write: (tile: Tile) => string, format: string): Tile {
  if (write(tile) !== path) throw new MalformedError(format, `not canonical: ${JSON.stringify(path)}`);
  return tile;
}
