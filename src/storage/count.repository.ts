import { sql, type Kysely, type Transaction } from 'kysely';
import { mergeCountMoves, type CountMove } from '../domain/count-moves.js';
import type { Schema } from './schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/**
 * Applies count moves inside the caller's transaction, one upsert per cell: the open data's
 * cross product (dimension `cell`) to `daily_cell`, the rest to `daily_count`.
 */
export async function applyCountMoves(trx: Db, moves: CountMove[]): Promise<void> {
  const merged = mergeCountMoves(moves);
  const cells = merged.filter((m) => m.dimension !== 'cell');
  const crossCells = merged.filter((m) => m.dimension === 'cell');
  for (let i = 0; i < crossCells.length; i += 500) {
    await trx
      .insertInto('daily_cell')
      .values(crossCells.slice(i, i + 500).map((m) => ({ day: m.day, metric: m.metric, value: m.value, n: m.delta })))
      .onConflict((oc) => oc.columns(['day', 'metric', 'value']).doUpdateSet({ n: sql`daily_cell.n + excluded.n` }))
      .execute();
  }
  for (let i = 0; i < cells.length; i += 500) {
    await trx
      .insertInto('daily_count')
      .values(cells.slice(i, i + 500).map((m) => ({ day: m.day, metric: m.metric, dimension: m.dimension, value: m.value, n: m.delta })))
      .onConflict((oc) => oc.columns(['day', 'metric', 'dimension', 'value']).doUpdateSet({ n: sql`daily_count.n + excluded.n` }))
      .execute();
  }
}

/** Sum of one metric over all days (dimension `total`). */
export async function totalOf(db: Db, metric: string): Promise<number> {
  const row = await db
    .selectFrom('daily_count')
    .select((eb) => eb.fn.sum<string | number>('n').as('n'))
    .where('metric', '=', metric)
    .where('dimension', '=', 'total')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
