import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Fastify from 'fastify';
import { registerRequestLog } from '../src/web/plugins/request-log.js';

test('a flood of 503s writes no log line per request at the default level; a 500 still does', async () => {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
  const app = Fastify({ logger: { level: 'info', stream }, disableRequestLogging: true });
  registerRequestLog(app);
  app.get('/shed', async (_request, reply) => reply.code(503).send({}));
  app.get('/broken', async (_request, reply) => reply.code(500).send({}));
  await app.ready();
  for (let i = 0; i < 100; i++) await app.inject({ method: 'GET', url: '/shed' });
  assert.equal(lines.filter((l) => l.includes('"status":503')).length, 0);
  await app.inject({ method: 'GET', url: '/broken' });
  assert.equal(lines.filter((l) => l.includes('"status":500')).length, 1);
  await app.close();
});
