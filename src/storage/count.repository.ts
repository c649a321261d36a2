import { sql, type Kysely, type Transaction } from 'kysely';
import { mergeCountMoves, type CountMove } from '../domain/count-moves.js';
import type { Schema } from './schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** Applies count moves inside the caller's transaction, one upsert per cell. */
export async function applyCountMoves(trx: Db, moves: CountMove[]): Promise<void> {
  const cells = mergeCountMoves(moves);
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
