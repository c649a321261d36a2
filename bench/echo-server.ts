// The baseline of the ingest benchmark: the cheapest thing Fastify 5 can do with the same
// request — parse the JSON body (same body limit as the app) and send it back with 201.
// Run as its own process by bench/ingest.ts; prints its address on stdout, stops on SIGTERM.
import Fastify from 'fastify';

/** Same as BODY_LIMIT in src/web/app.ts. */
const BODY_LIMIT = 256 * 1024;

const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
app.post('/api/v1/submissions', async (request, reply) => reply.code(201).send(request.body));

const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`echo: serving on ${address}\n`);

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
