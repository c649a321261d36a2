import { type Kysely, sql } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
//
// Retention erases a retracted statement's content (text, title, names, contact, translations,
// edits, duplicate-hint keys) a few days after the retraction, but keeps the row and its
// declarants' regions and organisations: the counts are made of them. `content_erased` says it
// was done, so each run looks only at retractions not yet erased (a partial index: the retracted
// statements already erased, which only grow, cost the job nothing).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('submission')
    .addColumn('content_erased', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('submission_retention_retracted')
    .on('submission')
    .column('updated_at')
    .where(sql<boolean>`status = 'retracted' and content_erased = 0`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('submission_retention_retracted').execute();
  await db.schema.alterTable('submission').dropColumn('content_erased').execute();
}
