import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../../domain/service-error.js';

/** What a client shed for overload is told to wait, in seconds. */
const RETRY_AFTER_SECONDS = 5;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Sheds load before it costs memory: at most `max` requests with a body are received or handled
 * at once. One more is refused with 503 `unavailable` and `Retry-After` before its body is read
 * (Node discards it as it arrives, never buffering it), so the memory held by request bodies is
 * bounded by `max` × the body limit, whatever the number of connections. The group commit's
 * queue (GROUP_COMMIT_MAX_QUEUE) bounds the submissions waiting to be written behind it.
 * Reading (GET) is not counted: readers are still served during a flood of submissions.
 */
export function registerLoadShedder(app: FastifyInstance, max: number): void {
  let inFlight = 0;
  app.addHook('onRequest', (request, reply, done) => {
    if (!WITH_BODY.has(request.method)) return done();
    if (inFlight >= max) return done(new ServiceError({ code: 'unavailable' }, { retryAfterSeconds: RETRY_AFTER_SECONDS }));
    inFlight++;
    // 'close' comes once the response is sent or the connection is gone, whichever is first.
    reply.raw.once('close', () => inFlight--);
    done();
  });
}
