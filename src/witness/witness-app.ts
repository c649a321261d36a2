/**
 * The witness's HTTP service: `POST /add-checkpoint` (c2sp.org/tlog-witness) and nothing else,
 * built without listening so tests can `inject()`. Request bodies are taken as bytes whatever
 * their content type (the specification names none) and bounded; no client address, header or
 * body is ever logged.
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import { isDatabaseUnavailable } from '../storage/database-errors.js';
import type { Witness } from './witness.js';

/**
 * Largest request body: the old size line, 63 proof lines of 45 bytes (2.9 KiB), and a
 * checkpoint with room for the 16 signatures the signed-note specification says verifiers must
 * accept even if each were a post-quantum one of nearly 5 kB (16 × 6.7 KiB in base64): 128 KiB.
 * A larger body is refused with 413 before it is read whole.
 */
export const MAX_ADD_CHECKPOINT_BYTES = 128 * 1024;

const TEXT = 'text/plain; charset=utf-8';

export interface WitnessAppOptions {
  /** Where log lines go (JSON); stdout by default. */
  logStream?: NodeJS.WritableStream;
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** A request must arrive whole within this time (slow-loris); 10 s by default. */
  requestTimeoutMs?: number;
}

/** The witness service around `witness`. */
export function buildWitnessApp(witness: Witness, options: WitnessAppOptions = {}): FastifyInstance {
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'warn',
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Never the client's address or port, nor anything else about the request.
      serializers: { req: () => ({}), res: () => ({}) },
    },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_ADD_CHECKPOINT_BYTES,
    requestTimeout: requestTimeoutMs,
    http: { connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs) },
    return503OnClosing: true,
  });

  // Bodies are plain text, some of it the client's (an unknown origin is named): never sniffed as HTML.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_ADD_CHECKPOINT_BYTES }, (_request, body, done) => done(null, body));

  app.post('/add-checkpoint', async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const answer = witness.addCheckpoint(body);
    return reply.code(answer.status).type(answer.contentType).send(answer.body);
  });
  // "The request MUST be an HTTP POST": other methods are told so, not "unknown log" (404).
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '/add-checkpoint',
    handler: async (_request, reply) => reply.code(405).header('allow', 'POST').type(TEXT).send('add-checkpoint takes POST\n'),
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).type(TEXT).send('not found\n'));
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).type(TEXT).send(`${error.message}\n`);
    if (isDatabaseUnavailable(error)) {
      app.log.warn({ code: (error as { code?: string }).code }, 'witness database unavailable: answered 503');
      return reply.code(503).header('retry-after', '5').type(TEXT).send('unavailable, try again\n');
    }
    app.log.error({ err: error }, 'unhandled error');
    return reply.code(500).type(TEXT).send('internal error\n');
  });
  return app;
}
