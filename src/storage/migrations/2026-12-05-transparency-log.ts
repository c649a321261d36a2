import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Frozen in time: this file never imports application code.
//
// The transparency log over the publication log (docs/log.md): entry i is event i + 1. The log
// sequencer (src/commands/log/log-sequencer.ts) integrates events in batches, each in one short
// transaction that writes:
// - `log_hash`: the tree's stored hashes by storage index (RFC 6962 record hashes and the hashes
//   of the subtrees they complete, in Go's tlog order) — the tiles are read from them;
// - `log_checkpoint`: the signed checkpoint of each size the log reached (its note as signed by
//   the log key; witness cosignatures are added when served);
// - `log_state`: one row, the size integrated so far and the tally of those entries (JSON), which
//   `/api/v1/stats` answers from. A batch moves it with `where size = <the size it began from>`,
//   so two processes never integrate the same events: the one that loses rolls back.
// Empty at first: the sequencer integrates the events already in the log (the backfill) on its
// first runs, a bounded batch at a time.

const EMPTY_TALLY = '{"total":0,"byOrganization":{},"byRegion":{},"byChannel":{},"byDay":{}}';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const bigint = sqlite ? 'integer' : 'bigint';
  const bytes = sqlite ? 'blob' : 'bytea';
  await db.schema
    .createTable('log_hash')
    .addColumn('idx', bigint, (c) => c.primaryKey().check(sql`idx >= 0`))
    .addColumn('hash', bytes, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('log_checkpoint')
    .addColumn('size', bigint, (c) => c.primaryKey().check(sql`size >= 0`))
    .addColumn('root_hash', bytes, (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_on', 'text', (c) => c.notNull().check(sql`created_on like '____-__-__'`))
    .execute();
  await db.schema
    .createTable('log_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('size', bigint, (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('tally', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('log_state').values({ id: 1, size: 0, tally: EMPTY_TALLY }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('log_state').execute();
  await db.schema.dropTable('log_checkpoint').execute();
  await db.schema.dropTable('log_hash').execute();
}
