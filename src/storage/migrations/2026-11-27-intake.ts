import { type Kysely, sql } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('submission')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('receipt_hash', 'text', (c) => c.notNull().unique())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('text', 'text')
    .addColumn('contact_ciphertext', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('proof_of_work', 'integer', (c) => c.notNull())
    .addColumn('flagged', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('submission_status', sql`status in ('pending', 'published', 'rejected', 'duplicate', 'retracted')`)
    .execute();
  await db.schema.createIndex('submission_status_received').on('submission').columns(['status', 'received_at']).execute();

  await db.schema
    .createTable('declarant')
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('name_kind', 'text', (c) => c.notNull())
    .addColumn('party', 'integer', (c) => c.notNull())
    .addColumn('youth_league', 'integer', (c) => c.notNull())
    .addColumn('young_pioneers', 'integer', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('occupation', 'text')
    .addPrimaryKeyConstraint('declarant_pk', ['submission_id', 'position'])
    .addCheckConstraint('declarant_some_organization', sql`party + youth_league + young_pioneers > 0`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('declarant').execute();
  await db.schema.dropTable('submission').execute();
}
