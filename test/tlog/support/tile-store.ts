// Tiles served from a MemoryLog, with a switch to corrupt what is served.
import { readTileData, type Tile, type TileReader } from '../../../src/tlog/index.js';
import type { MemoryLog } from './memory-log.js';

export class LogTiles implements TileReader {
  saved = 0;
  read = 0;

  constructor(
    private readonly log: MemoryLog,
    readonly height = 8,
    /** Changes the data served for a tile (a tampering server). */
    private readonly tamper: (tile: Tile, data: Uint8Array) => Uint8Array = (_tile, data) => data,
  ) {}

  async readTiles(tiles: readonly Tile[]): Promise<Uint8Array[]> {
    this.read += tiles.length;
    return Promise.all(tiles.map(async (tile) => this.tamper(tile, await readTileData(tile, this.log.reader, this.height))));
  }

  saveTiles(tiles: readonly Tile[]): void {
    this.saved += tiles.length;
  }
}
