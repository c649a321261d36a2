import { type Kysely, sql } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
//
// Retention deletes rejected and duplicate submissions after a while. The rollups (daily_count)
// are history and keep them; `purged_count` keeps, in the same shape, what the deleted
// statements contributed, so a recount from the base tables can still reach the rollups.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('purged_count')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('purged_count_pk', ['day', 'metric', 'dimension', 'value'])
    .execute();

  // What the retention job looks for. Both are partial, so intake (pending rows, rarely with
  // contact details) pays next to nothing for them.
  await db.schema
    .createIndex('submission_retention_status')
    .on('submission')
    .column('updated_at')
    .where(sql<boolean>`status in ('rejected', 'duplicate')`)
    .execute();
  await db.schema
    .createIndex('submission_retention_contact')
    .on('submission')
    .column('received_at')
    .where(sql<boolean>`contact_ciphertext is not null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('submission_retention_contact').execute();
  await db.schema.dropIndex('submission_retention_status').execute();
  await db.schema.dropTable('purged_count').execute();
}
