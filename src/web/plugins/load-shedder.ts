import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../../domain/service-error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route that stores a submission: it needs a place in the writer's queue (load-shedder.ts). */
    intake?: boolean;
  }
}

/** What a client shed for overload is told to wait, in seconds. */
const RETRY_AFTER_SECONDS = 5;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface LoadShedderOptions {
  /** MAX_POSTS_IN_FLIGHT: most requests with a body received or handled at once. */
  maxInFlight: number;
  /** The submission writer's queue (GROUP_COMMIT_MAX_QUEUE) and how many items it holds now. */
  intake: { maxQueue: number; pending(): number };
}

/**
 * Sheds load before it costs anything: a request that would be refused is refused with 503
 * `unavailable` and `Retry-After` from its headers alone, before its body is read (Node discards
 * the body as it arrives, never buffering or parsing it), so a refusal is cheap and quick and the
 * work goes to the requests that can be served.
 *
 * - At most `maxInFlight` requests with a body are received or handled at once: the memory held
 *   by request bodies is bounded by it × the body limit, whatever the number of connections.
 * - An intake route (config `intake`) is admitted only while the writer's queue has a place for
 *   it: the intake requests admitted and not yet answered, and the items the queue holds, both
 *   stay under its `maxQueue`. (Without this, a full queue was found only after reading, parsing
 *   and checking each body — most of the work, spent on a refusal.)
 *
 * Reading (GET) is not counted: readers are still served during a flood of submissions.
 */
export function registerLoadShedder(app: FastifyInstance, options: LoadShedderOptions): void {
  let inFlight = 0;
  let intakeInFlight = 0;
  const { maxQueue, pending } = options.intake;
  app.addHook('onRequest', (request, reply, done) => {
    if (!WITH_BODY.has(request.method)) return done();
    const intake = request.routeOptions.config.intake === true;
    if (inFlight >= options.maxInFlight || (intake && (intakeInFlight >= maxQueue || pending() >= maxQueue))) {
      return done(new ServiceError({ code: 'unavailable' }, { retryAfterSeconds: RETRY_AFTER_SECONDS }));
    }
    inFlight++;
    if (intake) intakeInFlight++;
    // 'close' comes once the response is sent or the connection is gone, whichever is first.
    reply.raw.once('close', () => {
      inFlight--;
      if (intake) intakeInFlight--;
    });
    done();
  });
}
