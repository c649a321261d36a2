import { type Kysely, sql } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
// Staff accounts, sessions, API tokens, the hash-chained audit log, review and publication
// columns, registration numbers, duplicate hints and the count rollups.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_user')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('totp_secret', 'text')
    .addColumn('totp_last_step', 'integer')
    .addColumn('disabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('staff_user_role', sql`role in ('admin', 'editor', 'volunteer', 'translator')`)
    .execute();

  await db.schema
    .createTable('staff_session')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_user.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_user.id').onDelete('cascade'))
    .addColumn('label', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('reason', 'text')
    .addColumn('details', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  // Single-row counters. Incrementing a row with UPDATE … RETURNING locks it until commit, which
  // serialises registration numbers and audit entries on PostgreSQL as SQLite does by itself.
  await db.schema
    .createTable('counter')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('counter').values([
    { name: 'registration_number', value: 0 },
    { name: 'audit_seq', value: 0 },
  ]).execute();

  await db.schema.alterTable('submission').addColumn('registration_number', 'integer').execute();
  await db.schema.alterTable('submission').addColumn('published_at', 'text').execute();
  await db.schema.alterTable('submission').addColumn('reviewed_by', 'text').execute();
  await db.schema.alterTable('submission').addColumn('reject_reason', 'text').execute();
  await db.schema.alterTable('submission').addColumn('duplicate_of', 'text').execute();
  await db.schema.alterTable('submission').addColumn('featured', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('submission').addColumn('consent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('submission').addColumn('entered_by', 'text').execute();
  // Duplicate-hint indexes (text bands, name keys) are filled when a statement first reaches
  // review, not on the intake hot path.
  await db.schema.alterTable('submission').addColumn('text_indexed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Only the backlog still to index: appended in time order at intake, small once reviewed.
  await db.schema
    .createIndex('submission_unindexed')
    .on('submission')
    .columns(['received_at', 'id'])
    .where(sql.ref('text_indexed'), '=', 0)
    .execute();
  await db.schema.createIndex('submission_registration_number').unique().on('submission').column('registration_number').execute();
  await db.schema.createIndex('submission_entered_by').on('submission').columns(['entered_by', 'received_at']).execute();

  // Normalised display name, for "same person again" hints.
  await db.schema.alterTable('declarant').addColumn('name_key', 'text').execute();
  await db.schema.createIndex('declarant_name_key').on('declarant').columns(['name_key', 'region']).execute();

  // Locality-sensitive hash bands of the statement text, for "near-identical text" hints.
  // Filled lazily (see text_indexed), so intake pays nothing for them.
  await db.schema
    .createTable('submission_text_band')
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
    .addColumn('band', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('submission_text_band_pk', ['submission_id', 'band'])
    .execute();
  await db.schema.createIndex('submission_text_band_band').on('submission_text_band').column('band').execute();

  // Edits before publication (redaction): what it said before, kept for the audit.
  await db.schema
    .createTable('submission_edit')
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
    .addColumn('edited_at', 'text', (c) => c.notNull())
    .addColumn('editor_id', 'text', (c) => c.notNull())
    .addColumn('title_before', 'text')
    .addColumn('text_before', 'text')
    .execute();
  await db.schema.createIndex('submission_edit_submission').on('submission_edit').column('submission_id').execute();

  // Counts, maintained in the same transaction as the change that moves them.
  // metric: e.g. persons_published; dimension: total | organization | region | channel.
  await db.schema
    .createTable('daily_count')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('daily_count_pk', ['day', 'metric', 'dimension', 'value'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['daily_count', 'submission_edit', 'submission_text_band', 'counter', 'audit_log', 'api_token', 'staff_session', 'staff_user']) {
    await db.schema.dropTable(table).execute();
  }
}
