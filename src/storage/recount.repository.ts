import { sql, type Kysely, type Transaction } from 'kysely';
import { ORGANIZATIONS } from '../domain/organizations.js';
import type { StoredStatement } from '../domain/recount.js';
import type { Dialect } from './database.js';
import type { DailyCountTable, Schema, SubmissionTable } from './schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** Every statement with its people, a page at a time in id order (keyset paging: no deep OFFSET). */
export async function* storedStatements(db: Db, pageSize = 2_000): AsyncGenerator<StoredStatement[]> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('submission')
      .select([...STORED_STATEMENT_COLUMNS])
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield await asStoredStatements(db, rows);
    after = rows.at(-1)!.id;
  }
}

/** The columns of `submission` a stored statement is made of. */
export const STORED_STATEMENT_COLUMNS = ['id', 'status', 'channel', 'received_at', 'published_at', 'updated_at', 'reject_reason'] as const;

type StoredRow = Pick<SubmissionTable, (typeof STORED_STATEMENT_COLUMNS)[number]>;

/** Submission rows with their people read in one query, as the recount and the purge count them. */
export async function asStoredStatements(db: Db, rows: StoredRow[]): Promise<StoredStatement[]> {
  if (rows.length === 0) return [];
  const people = await db
    .selectFrom('declarant')
    .select(['submission_id', 'region', 'party', 'youth_league', 'young_pioneers'])
    .where('submission_id', 'in', rows.map((r) => r.id))
    .orderBy('submission_id')
    .orderBy('position')
    .execute();
  const bySubmission = new Map<string, StoredStatement['people']>(rows.map((r) => [r.id, []]));
  for (const p of people) bySubmission.get(p.submission_id)!.push({ region: p.region, organizations: ORGANIZATIONS.filter((o) => p[o] === 1) });
  return rows.map((r) => ({
    status: r.status,
    channel: r.channel,
    receivedAt: r.received_at,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    reason: r.reject_reason,
    people: bySubmission.get(r.id)!,
  }));
}

/** Every stored rollup cell: those of `daily_count`, and those of `daily_cell` as dimension `cell`. */
export async function storedCounts(db: Db): Promise<DailyCountTable[]> {
  const counts = await db.selectFrom('daily_count').selectAll().execute();
  const cells = await db.selectFrom('daily_cell').selectAll().execute();
  return [...counts, ...cells.map((c) => ({ day: c.day, metric: c.metric, dimension: 'cell', value: c.value, n: c.n }))];
}

/**
 * Keeps writers out while a repair reads and rewrites the counts, so no change can slip between
 * the recount and the rewrite. SQLite's transaction already holds the only write lock once it
 * writes; PostgreSQL needs the tables locked against writers up front.
 */
export async function lockCountsForRepair(trx: Transaction<Schema>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`lock table submission, declarant, daily_count, daily_cell in share row exclusive mode`.execute(trx);
  // SQLite: take the write lock before reading (a no-op write), so the reads below see the final state.
  else await trx.updateTable('counter').set({ value: sql`value` }).where('name', '=', 'registration_number').execute();
}

/** Replaces every rollup cell with `cells` (zero cells left out), dimension `cell` in `daily_cell`. */
export async function replaceCounts(trx: Transaction<Schema>, cells: DailyCountTable[]): Promise<void> {
  await trx.deleteFrom('daily_count').execute();
  await trx.deleteFrom('daily_cell').execute();
  const rows = cells.filter((c) => c.n !== 0 && c.dimension !== 'cell');
  const crossCells = cells.filter((c) => c.n !== 0 && c.dimension === 'cell').map((c) => ({ day: c.day, metric: c.metric, value: c.value, n: c.n }));
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('daily_count').values(rows.slice(i, i + 500)).execute();
  for (let i = 0; i < crossCells.length; i += 500) await trx.insertInto('daily_cell').values(crossCells.slice(i, i + 500)).execute();
}
