// The HTTP source reads only from the origin it was given: a redirect to another origin is
// refused (a mirror cannot send the verifier to a server of its choice), one within it followed;
// a response larger than its bound is refused; a 404 is "missing", a 500 an error.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { httpLogSource, LogSourceError } from '../../src/commands/log-source.js';

let server: http.Server;
let base: string;
before(async () => {
  server = http.createServer((request, response) => {
    const routes: Record<string, () => void> = {
      '/log/key': () => response.end('k\n'),
      '/log/away': () => response.writeHead(302, { location: 'http://example.invalid/log/key' }).end(),
      '/log/here': () => response.writeHead(301, { location: '/log/key' }).end(),
      '/log/big': () => response.end(Buffer.alloc(5000)),
      '/log/broken': () => response.writeHead(500).end(),
    };
    (routes[request.url ?? ''] ?? (() => response.writeHead(404).end()))();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a redirect to another origin is refused; one within the origin is followed', async () => {
  const source = httpLogSource(base);
  await assert.rejects(source.read('log/away', 1000), (e: Error) => e instanceof LogSourceError && /redirect to another origin \(http:\/\/example\.invalid\) refused/.test(e.message));
  assert.equal(Buffer.from((await source.read('log/here', 1000))!).toString(), 'k\n');
});

test('a response beyond its bound is refused; 404 is missing; 500 is an error', async () => {
  const source = httpLogSource(`${base}/`);
  await assert.rejects(source.read('log/big', 4096), /more than the 4096/);
  assert.equal((await source.read('log/big', 5000))!.length, 5000);
  assert.equal(await source.read('log/none', 1000), undefined);
  await assert.rejects(source.read('log/broken', 1000), /HTTP 500/);
});

test('only plain http(s) URLs are sources', () => {
  assert.throws(() => httpLogSource('file:///etc/'), /only http and https/);
  assert.throws(() => httpLogSource('http://user:pw@127.0.0.1/'), /user name or password/);
});
