// An investigation baseline for the ingest benchmark (`--baseline durable-echo`), not the
// recorded one: the echo server plus the least a durable answer needs — each JSON body appended
// to one SQLite table (WAL, synchronous = FULL, SQLite's default checkpoints) in one transaction
// per turn of the event loop (group commit), 201 with the body only after COMMIT. No validation,
// no receipt, no index but the row id: the storage floor the app's figure can be set against.
// Run as its own process by bench/ingest.ts with DATA_DIR set; prints its address; stops on SIGTERM.
import path from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';

/** Same as BODY_LIMIT in src/web/app.ts. */
const BODY_LIMIT = 256 * 1024;

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR is not set');
const db = new SQLite(path.join(dataDir, 'durable-echo.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('create table if not exists body (id integer primary key, json text not null)');
const insert = db.prepare('insert into body (json) values (?)');
const writeAll = db.transaction((bodies: string[]) => {
  for (const json of bodies) insert.run(json);
});

let waiting: { json: string; done: () => void }[] = [];
let scheduled = false;
function commit(): void {
  scheduled = false;
  const batch = waiting;
  waiting = [];
  writeAll(batch.map((w) => w.json));
  for (const w of batch) w.done();
}

const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
app.post('/api/v1/submissions', async (request, reply) => {
  await new Promise<void>((done) => {
    waiting.push({ json: JSON.stringify(request.body), done });
    if (!scheduled) {
      scheduled = true;
      setImmediate(commit);
    }
  });
  return reply.code(201).send(request.body);
});

const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`durable echo: serving on ${address}\n`);

const stop = () => {
  app.close().then(
    () => {
      db.close();
      process.exit(0);
    },
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
