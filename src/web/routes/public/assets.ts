import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';

const ASSET_DIR = new URL('../../assets/', import.meta.url);
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** The names of the assets served under /assets/ (what a mirror copies). */
export function assetNames(): string[] {
  return fs.readdirSync(ASSET_DIR).filter((name) => TYPES[name.slice(name.lastIndexOf('.'))] !== undefined).sort();
}

/**
 * Serves the app's own stylesheet and scripts from memory. Nothing is ever loaded from another
 * origin (promise 5).
 */
export function registerAssets(app: FastifyInstance): void {
  const assets = new Map<string, { body: Buffer; type: string; etag: string }>();
  for (const name of assetNames()) {
    const type = TYPES[name.slice(name.lastIndexOf('.'))]!;
    const body = fs.readFileSync(new URL(name, ASSET_DIR));
    assets.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  }
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.callNotFound();
    reply.header('cache-control', 'public, max-age=3600').header('etag', asset.etag).type(asset.type);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.send(asset.body);
  });
}
