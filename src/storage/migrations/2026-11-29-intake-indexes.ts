import { type Kysely, sql } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
//
// Two indexes the intake paid for on every submission although they only serve review: a
// submission is written once with `text_indexed = 0` and `name_key` null.
// - `submission_unindexed` on (received_at, id): the id is random, so inserts landed on random
//   pages within each minute. On (received_at) alone its entries follow the row order (SQLite
//   appends them; ties in a minute are ordered by rowid).
// - `declarant_name_key` held every intake row's NULL key. Partial on `name_key is not null`,
//   intake rows are not in it until review fills the key; `name_key = ?` look-ups still use it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('submission_unindexed').execute();
  await db.schema
    .createIndex('submission_unindexed')
    .on('submission')
    .column('received_at')
    .where(sql.ref('text_indexed'), '=', 0)
    .execute();
  await db.schema.dropIndex('declarant_name_key').execute();
  await db.schema
    .createIndex('declarant_name_key')
    .on('declarant')
    .columns(['name_key', 'region'])
    .where(sql<boolean>`name_key is not null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('declarant_name_key').execute();
  await db.schema.createIndex('declarant_name_key').on('declarant').columns(['name_key', 'region']).execute();
  await db.schema.dropIndex('submission_unindexed').execute();
  await db.schema.createIndex('submission_unindexed').on('submission').columns(['received_at', 'id']).where(sql.ref('text_indexed'), '=', 0).execute();
}
