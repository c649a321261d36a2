import type { FastifyInstance } from 'fastify';

/** Fastify's logger is pino (app.ts), which can say whether a level is written; its type does not. */
type LevelCheck = { isLevelEnabled(level: string): boolean };

/**
 * One log line per request with the route pattern (never the query string or path parameters),
 * the status and the time taken. No address, no user agent, no headers (promise 1).
 * Lines are at `debug` level, except server errors (not 503): at the default `info` level the log holds
 * no timeline of submissions that could be matched against a network observer's records.
 */
export function registerRequestLog(app: FastifyInstance): void {
  // A callback hook, and nothing built for a line that would not be written: this runs for
  // every request, and at the default level nearly every line would be dropped.
  app.addHook('onResponse', (request, reply, done) => {
    // 503 is load shedding or an outage, answered to every request while it lasts: one line each
    // would let a flood fill the disk. The error handler logs outages, at most once per 5 s.
    const level = reply.statusCode >= 500 && reply.statusCode !== 503 ? 'warn' : 'debug';
    if ((request.log as unknown as LevelCheck).isLevelEnabled(level)) {
      request.log[level](
        { method: request.method, route: request.routeOptions.url ?? '(no route)', status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request',
      );
    }
    done();
  });
}
