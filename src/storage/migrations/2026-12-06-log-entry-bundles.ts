import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
//
// `log_entry_bundle`: each full entry bundle of the transparency log (256 entries, tlog-tiles
// `tile/entries/<N>`) as served, written by the sequencer in the transaction that completes it.
// A full bundle never changes, so it is encoded once instead of on every request: a verifier
// reads every bundle. Bundles of a log integrated before this migration are not here; they are
// encoded from their events when asked for, as before (the same bytes: the encoding is canonical).

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('log_entry_bundle')
    .addColumn('tile_index', sqlite ? 'integer' : 'bigint', (c) => c.primaryKey().check(sql`tile_index >= 0`))
    .addColumn('data', sqlite ? 'blob' : 'bytea', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('log_entry_bundle').execute();
}
