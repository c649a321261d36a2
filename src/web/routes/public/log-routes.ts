import type { FastifyInstance } from 'fastify';
import type { LogHead } from '../../../commands/log/log-head.js';
import type { LogIdentity } from '../../../commands/log/log-identity.js';
import { readEntryBundle, readHashTile, tileInTree } from '../../../commands/log/log-tiles.js';
import { ServiceError } from '../../../domain/service-error.js';
import type { Database } from '../../../storage/database.js';
import { MalformedError, parseEntryBundlePath, parseTilePath, TILE_WIDTH, type Tile } from '../../../tlog/index.js';

/** What the log routes need: who the log is, its head, and the witnesses' cosignatures. */
export interface LogContext {
  identity: LogIdentity;
  head: LogHead;
  /**
   * Signature lines (`— <name> <base64>\n`…) to serve after the log's own on a checkpoint's note:
   * witness cosignatures of that checkpoint (tlog-cosignature). None by default.
   */
  cosignatures: (note: string, size: number) => string | Promise<string>;
}

const TEXT = 'text/plain; charset=utf-8';
const BYTES = 'application/octet-stream';
/** tlog-tiles: a full tile never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A partial tile is replaced by its full tile (and may then be dropped): kept briefly. */
const PARTIAL = 'public, max-age=60';

/**
 * The transparency log over HTTP (C2SP tlog-tiles, docs/log.md "Serving"): `/log/checkpoint`
 * (the latest signed checkpoint), `/log/tile/<L>/<N>[.p/<W>]` (hash tiles),
 * `/log/tile/entries/<N>[.p/<W>]` (entry bundles) and `/log/key` (the verifier key). A tile the
 * latest checkpoint does not reach, and a path that is not canonical, are `not_found`.
 */
export function registerLogRoutes(app: FastifyInstance, { database, log }: { database: Database; log: LogContext }): void {
  app.get('/log/checkpoint', async (_request, reply) => {
    const latest = await log.head.current();
    // Before the sequencer's first batch (a moment after the first start) there is none yet.
    if (!latest) throw new ServiceError({ code: 'not_found' });
    const extra = await log.cosignatures(latest.note, latest.size);
    return reply.type(TEXT).header('cache-control', 'no-cache').send(latest.note + extra);
  });

  app.get('/log/key', async (_request, reply) => reply.type(TEXT).header('cache-control', 'public, max-age=300').send(`${log.identity.verifierKey}\n`));

  app.get<{ Params: { '*': string } }>('/log/tile/*', async (request, reply) => {
    const path = `tile/${request.params['*']}`;
    const entries = path.startsWith('tile/entries/');
    const tile = parse(path, entries);
    const latest = await log.head.current();
    if (!latest || !tileInTree(tile, latest.size)) throw new ServiceError({ code: 'not_found' });
    const data = entries ? await readEntryBundle(database, tile) : await readHashTile(database, tile);
    return reply
      .type(BYTES)
      .header('cache-control', tile.width === TILE_WIDTH ? IMMUTABLE : PARTIAL)
      .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
}

function parse(path: string, entries: boolean): Tile {
  try {
    return entries ? parseEntryBundlePath(path) : parseTilePath(path);
  } catch (error) {
    if (error instanceof MalformedError) throw new ServiceError({ code: 'not_found' });
    throw error;
  }
}
