// A plain static file server on 127.0.0.1 for mirror tests: serves the files under a directory
// (following a link at its root on every request, as nginx does), optionally under a path prefix.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

export async function serveDirectory(dir: string, prefix = '/'): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (!pathname.startsWith(prefix) || pathname.split('/').some((p) => p === '..')) return response.writeHead(404).end();
    const file = path.join(dir, pathname.slice(prefix.length));
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes) return response.writeHead(404).end();
    response.writeHead(200, { 'content-length': bytes.length, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
