import type { Kysely } from 'kysely';
import type { Schema } from './schema.js';

type Db = Kysely<Schema>;

/** Persons published and persons retracted (from published), per day since `fromDay` (and before `beforeDay`), dimension total. */
export async function personMovesSince(db: Db, fromDay: string, beforeDay?: string): Promise<{ day: string; published: number; retracted: number }[]> {
  let query = db
    .selectFrom('daily_count')
    .select(['day', 'metric', 'n'])
    .where('metric', 'in', ['persons_published', 'persons_retracted'])
    .where('dimension', '=', 'total')
    .where('day', '>=', fromDay);
  if (beforeDay !== undefined) query = query.where('day', '<', beforeDay);
  const rows = await query.execute();
  const days = new Map<string, { day: string; published: number; retracted: number }>();
  for (const row of rows) {
    const entry = days.get(row.day) ?? { day: row.day, published: 0, retracted: 0 };
    if (row.metric === 'persons_published') entry.published += Number(row.n);
    else entry.retracted += Number(row.n);
    days.set(row.day, entry);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** A dimension the net persons are broken down by. */
export type NetDimension = 'total' | 'organization' | 'region' | 'channel';

/** Net persons (published − retracted) over the days in `days` (all by default), in total and by one dimension. */
export async function netPersonsBy(db: Db, dimension: NetDimension, days: { from?: string; before?: string } = {}): Promise<Map<string, number>> {
  let query = db
    .selectFrom('daily_count')
    .select(['metric', 'value', (eb) => eb.fn.sum<string | number>('n').as('n')])
    .where('metric', 'in', ['persons_published', 'persons_retracted'])
    .where('dimension', '=', dimension);
  if (days.from !== undefined) query = query.where('day', '>=', days.from);
  if (days.before !== undefined) query = query.where('day', '<', days.before);
  const rows = await query.groupBy(['metric', 'value']).execute();
  const net = new Map<string, number>();
  for (const row of rows) {
    const sign = row.metric === 'persons_published' ? 1 : -1;
    net.set(row.value, (net.get(row.value) ?? 0) + sign * Number(row.n));
  }
  return net;
}

/**
 * The published and retracted persons' cells of one day, every dimension: found by the primary
 * key (day first), a few hundred rows however long the history.
 */
export function personCellsOfDay(db: Db, day: string): Promise<{ metric: string; dimension: string; value: string; n: number }[]> {
  return db
    .selectFrom('daily_count')
    .select(['metric', 'dimension', 'value', 'n'])
    .where('day', '=', day)
    .where('metric', 'in', ['persons_published', 'persons_retracted'])
    .execute();
}
