// Slow-loris: a client that sends its headers or body a byte at a time holds a connection
// open for as long as the server lets it. Against the real server process (REQUEST_TIMEOUT_MS
// lowered to 2 s for the test; 30 s by default), such a request is cut off within a bounded
// time, and other requests are answered meanwhile.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const TIMEOUT_MS = 2_000;
// No timed assertions (speed belongs to the benchmarks): a slow request must be cut off by the
// server before the client has sent it whole (a byte every 250 ms: 25 s and more), and other
// requests must be answered while it is still open.

let server: ServerProcess;
let dataDir: string;
before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-slow-loris-'));
  server = await startServerProcess({ env: { DATA_DIR: dataDir, REQUEST_TIMEOUT_MS: String(TIMEOUT_MS), LOG_LEVEL: 'warn' } });
});
after(async () => {
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Sends `head` at once, then one byte of `trickle` every 250 ms until the server closes the
 * connection. Resolves with how long the connection lived and what the server sent.
 */
function trickle(head: string, rest: string): Promise<{ ms: number; received: string; bytesSent: number; complete: boolean }> & { open(): boolean } {
  let open = true;
  const result = new Promise<{ ms: number; received: string; bytesSent: number; complete: boolean }>((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(server.port, '127.0.0.1');
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const give = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a slow request open for ${Date.now() - started} ms`));
    }, 30_000);
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent < rest.length && !socket.destroyed) socket.write(rest[sent++]!);
      }, 250);
    });
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      open = false;
      clearInterval(timer);
      clearTimeout(give);
      resolve({ ms: Date.now() - started, received, bytesSent: sent, complete: sent === rest.length });
    });
  });
  return Object.assign(result, { open: () => open });
}

/** Asks for /healthz on a connection of its own; true if answered 200. */
async function healthy(): Promise<boolean> {
  const response = await fetch(`${server.url}/healthz`);
  return response.status === 200;
}

test('slow-loris body: a body trickled a byte at a time is cut off within the request timeout, while other requests are answered', async () => {
  const body = JSON.stringify({ language: 'en', declarants: [] }).padEnd(400, ' ');
  const slow = trickle(`POST /api/v1/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`, body);
  // Meanwhile the server answers others at once.
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < 3; i++) assert.ok(await healthy());
  assert.ok(slow.open(), 'answered while the slow request is still open');
  const { ms, received, complete } = await slow;
  assert.ok(ms >= TIMEOUT_MS - 100, `not before its time: ${ms} ms`);
  assert.ok(!complete, `closed by the server before the body was complete (after ${ms} ms)`);
  assert.ok(received === '' || received.startsWith('HTTP/1.1 408'), received.slice(0, 100));
});

test('slow-loris headers: headers trickled a byte at a time are cut off within the request timeout', async () => {
  const slow = trickle('GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Padding: ' + 'a'.repeat(200));
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(await healthy());
  assert.ok(slow.open(), 'answered while the slow request is still open');
  const { ms, received, complete } = await slow;
  assert.ok(!complete, `closed by the server before the headers were complete (after ${ms} ms)`);
  assert.ok(received === '' || received.startsWith('HTTP/1.1 408'), received.slice(0, 100));
});

test('many slow connections at once do not stop the server from answering', async () => {
  const body = 'x'.repeat(100);
  const slow = Array.from({ length: 50 }, () => trickle(`POST /en/submit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`, body));
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(await healthy());
  assert.ok(slow.some((s) => s.open()), 'answered while slow requests are still open');
  const results = await Promise.all(slow);
  for (const { ms, complete } of results) assert.ok(!complete, `closed by the server before the body was complete (after ${ms} ms)`);
});
