import { encodeLogEntry } from '../../domain/log-entry.js';
import { logEntryOfEvent } from '../../domain/publication-event.js';
import type { Database } from '../../storage/database.js';
import { readStoredEntryBundle, readStoredHashes } from '../../storage/log/transparency-log.repository.js';
import { readPublicationEvents } from '../../storage/publication/publication-log.repository.js';
import { encodeEntryBundle, readTileData, TILE_HEIGHT, TILE_WIDTH, type Tile } from '../../tlog/index.js';

/**
 * Whether a tree of `size` entries has this tile (full or partial, of any width it reached):
 * level L holds floor(size / 256^L) hashes, and the tile needs the first index × 256 + width of them.
 */
export function tileInTree(tile: Tile, size: number): boolean {
  const hashes = Math.floor(size / TILE_WIDTH ** tile.level);
  return tile.index * TILE_WIDTH + tile.width <= hashes;
}

/** A hash tile's bytes, read from the stored hashes (the tile must be in the tree). */
export async function readHashTile(database: Database, tile: Tile): Promise<Uint8Array> {
  return readTileData(tile, { readHashes: (indexes) => readStoredHashes(database.db, indexes) }, TILE_HEIGHT);
}

/**
 * An entry bundle's bytes: a full one as the sequencer stored it; a partial one (or a full one of
 * a log integrated before bundles were stored) encoded again from its events — an event never
 * changes, and its encoding is canonical: the bytes are those that were hashed.
 */
export async function readEntryBundle(database: Database, tile: Tile): Promise<Uint8Array> {
  if (tile.width === TILE_WIDTH) {
    const stored = await readStoredEntryBundle(database.db, tile.index);
    if (stored) return stored;
  }
  return encodeEntryBundle(await readEncodedEntries(database, tile.index * TILE_WIDTH, tile.width));
}

/** Entries first..first + count - 1, encoded from their events (entry i is event i + 1). */
export async function readEncodedEntries(database: Database, first: number, count: number): Promise<Uint8Array[]> {
  const events = await readPublicationEvents(database.db, first, count);
  if (events.length !== count || (count > 0 && events[0]?.seq !== first + 1)) throw new Error(`transparency log: events ${first + 1}… are missing`);
  return events.map((event) => encodeLogEntry(logEntryOfEvent(event)));
}
