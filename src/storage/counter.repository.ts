import { sql, type Transaction } from 'kysely';
import type { Schema } from './schema.js';

/**
 * Takes `count` consecutive values of a named counter and returns the first. The UPDATE locks
 * the row until the transaction ends, so concurrent transactions get disjoint, gapless ranges,
 * and a rolled-back transaction gives its numbers back.
 */
export async function takeCounterValues(trx: Transaction<Schema>, name: string, count: number): Promise<number> {
  const row = await trx
    .updateTable('counter')
    .set({ value: sql`value + ${count}` })
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value) - count + 1;
}
