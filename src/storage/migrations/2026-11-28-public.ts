import { type Kysely, SqliteAdapter, sql } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
//
// The public site reads published statements only. Every index here is partial on "published"
// (or on a column that is null until publication), so the intake hot path pays nothing for them.

export async function up(db: Kysely<any>): Promise<void> {
  // Day lists: published statements by publication time.
  await db.schema
    .createIndex('submission_published_at')
    .on('submission')
    .columns(['published_at', 'registration_number'])
    .where(sql<boolean>`published_at is not null`)
    .execute();
  // Featured articles, newest first.
  await db.schema
    .createIndex('submission_featured')
    .on('submission')
    .column('registration_number')
    .where(sql.ref('featured'), '=', 1)
    .execute();

  // The registration number copied to each declarant while the statement is published (null
  // before publication and after retraction), so categories are read from one partial index each.
  await db.schema.alterTable('declarant').addColumn('published_number', 'integer').execute();
  for (const [name, columns] of [
    ['declarant_published_region', ['region', 'published_number']],
    ['declarant_published_occupation', ['occupation', 'published_number']],
    ['declarant_published_organizations', ['party', 'youth_league', 'young_pioneers', 'published_number']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('declarant')
      .columns([...columns])
      .where(sql<boolean>`published_number is not null`)
      .execute();
  }

  // A translator's version of a statement in another locale, shown instead of the automatic
  // script conversion and marked as a translation.
  await db.schema
    .createTable('statement_translation')
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submission.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('text', 'text')
    .addColumn('translator_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('statement_translation_pk', ['submission_id', 'locale'])
    .execute();

  // Full-text search over published statements. The application turns text into tokens (CJK
  // bigrams, words) itself, so both databases index the same tokens: FTS5 on SQLite (contentless,
  // rowid = registration number), a tsvector with a GIN index on PostgreSQL. `prefix='1'` keeps
  // an index of one-character prefixes, so a one-character Chinese query (`党*`) is a lookup.
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`create virtual table statement_search using fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='1')`.execute(db);
  } else {
    await db.schema
      .createTable('statement_search')
      .addColumn('registration_number', 'integer', (c) => c.primaryKey())
      .addColumn('tokens', sql`tsvector`, (c) => c.notNull())
      .execute();
    await sql`create index statement_search_tokens on statement_search using gin (tokens)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('statement_search').execute();
  await db.schema.dropTable('statement_translation').execute();
  for (const name of ['declarant_published_organizations', 'declarant_published_occupation', 'declarant_published_region', 'submission_featured', 'submission_published_at']) {
    await db.schema.dropIndex(name).execute();
  }
  await db.schema.alterTable('declarant').dropColumn('published_number').execute();
}
