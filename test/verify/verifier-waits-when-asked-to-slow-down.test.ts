// The center's work budget answers a client that reads a lot with 429 and Retry-After (and a
// busy one 503): `rcenter verify` waits as told and goes on, instead of failing a check — and
// gives up, saying so, when it would have to wait longer than it allows.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { httpLogSource, LogSourceError } from '../../src/commands/log-source.js';

let server: http.Server;
let base: string;
let refusals = 0;

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/always') return void res.writeHead(429, { 'retry-after': '1' }).end();
    if (refusals++ < 2) return void res.writeHead(refusals === 1 ? 429 : 503, { 'retry-after': '1' }).end();
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});
after(() => new Promise((resolve) => server.close(resolve)));

test('429 and 503 with Retry-After are waited out, then the read succeeds', async () => {
  const waits: number[] = [];
  const source = httpLogSource(base, { onWait: (seconds) => waits.push(seconds) });
  const bytes = await source.read('thing', 1_000);
  assert.equal(Buffer.from(bytes!).toString(), 'ok');
  assert.deepEqual(waits, [1, 1]);
});

test('a server that never stops refusing fails the read once the allowed wait is spent', async () => {
  const source = httpLogSource(base, { maxWaitMs: 1_500 });
  await assert.rejects(source.read('always', 1_000), (error: Error) => error instanceof LogSourceError && /slow down/.test(error.message));
});
