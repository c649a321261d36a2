import { type Kysely, sql } from 'kysely';

// Frozen in time: this file never imports application code, so it means the same forever.
//
// The open data (persons per day × region × organisation × channel, per event) was computed
// from the base tables at every request: seconds of scanning for a year at a million persons.
// `daily_cell` keeps that cross product as a rollup, moved in the same transaction as
// `daily_count`; this migration fills it from the statements as they stand (statements already
// deleted by retention are gone from the base tables, and the open data never showed them).

/** Which statements each event counts and which timestamp dates it (as the count moves do). */
const EVENTS: [metric: string, at: string, where: string][] = [
  ['persons_received', 'received_at', '1 = 1'],
  ['persons_published', 'published_at', 's.published_at is not null'],
  ['persons_rejected', 'updated_at', `s.status = 'rejected'`],
  ['persons_duplicate', 'updated_at', `s.status = 'duplicate'`],
  ['persons_retracted', 'updated_at', `s.status = 'retracted' and s.published_at is not null`],
  ['persons_retracted_pending', 'updated_at', `s.status = 'retracted' and s.published_at is null`],
];

const ORGANIZATIONS = ['party', 'youth_league', 'young_pioneers'];

export async function up(db: Kysely<any>): Promise<void> {
  // The statistics page, the categories page and the counter sum one dimension over every day:
  // with only the primary key (day first) each such read walked the whole table (0.1–0.3 s per
  // query at a million persons). Led by dimension and covering `n`, each reads its own cells only.
  await db.schema.createIndex('daily_count_by_dimension').on('daily_count').columns(['dimension', 'metric', 'value', 'day', 'n']).execute();
  await db.schema
    .createTable('daily_cell')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('daily_cell_pk', ['day', 'metric', 'value'])
    .execute();
  // Each (metric, organisation) pair fills cells of its own, so the inserts never meet.
  for (const [metric, at, where] of EVENTS) {
    for (const organization of ORGANIZATIONS) {
      await sql
        .raw(
          `insert into daily_cell (day, metric, value, n) ` +
            `select substr(s.${at}, 1, 10), '${metric}', d.region || '|${organization}|' || s.channel, count(*) ` +
            `from submission s join declarant d on d.submission_id = s.id ` +
            `where d.${organization} = 1 and ${where} group by 1, 3`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('daily_cell').execute();
  await db.schema.dropIndex('daily_count_by_dimension').execute();
}
