import { sql, type Kysely } from 'kysely';
import { addDays, OPEN_DATA_MEASURES, type EventCell, type OpenDataMeasure } from '../domain/open-data.js';
import type { Schema } from './schema.js';

type Db = Kysely<Schema>;

/** The person metrics of `daily_count` (src/domain/count-moves.ts). */
const PERSON_METRICS = OPEN_DATA_MEASURES.map((m) => `persons_${m}`);

/** Persons per `persons_*` metric (dimension total) over the days before `beforeDay`, e.g. `persons_received` → 120. */
export async function personTotals(db: Db, beforeDay: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('daily_count')
    .select(['metric', (eb) => eb.fn.sum<string | number>('n').as('n')])
    .where('dimension', '=', 'total')
    .where('metric', 'in', PERSON_METRICS)
    .where('day', '<', beforeDay)
    .groupBy('metric')
    .execute();
  return new Map(rows.map((r) => [r.metric, Number(r.n)]));
}

/**
 * Which statements each measure counts and which timestamp dates the event: the same rules as
 * `movesOfStatement` (src/domain/recount.ts), which `rcenter recount` checks the rollups against.
 */
const EVENTS: Record<OpenDataMeasure, { at: 'received_at' | 'published_at' | 'updated_at'; status?: string; published?: boolean }> = {
  received: { at: 'received_at' },
  published: { at: 'published_at', published: true },
  rejected: { at: 'updated_at', status: 'rejected' },
  duplicate: { at: 'updated_at', status: 'duplicate' },
  retracted: { at: 'updated_at', status: 'retracted', published: true },
  retracted_pending: { at: 'updated_at', status: 'retracted', published: false },
};

/** The rollup of the open data (`daily_cell`) from `from` to `to`, both included: a few rows per day and combination. */
export function openDataCells(db: Db, from: string, to: string): Promise<{ day: string; metric: string; value: string; n: number }[]> {
  return db.selectFrom('daily_cell').select(['day', 'metric', 'value', 'n']).where('day', '>=', from).where('day', '<=', to).execute();
}

/**
 * Persons per event, UTC day, region, channel and organisation set, from `from` to `to` (both
 * included), computed from the base tables: a scan that grows with the statements, kept as the
 * reference the rollup (`daily_cell`, `openDataCells`) is tested against, never on a request (`submission` joined to `declarant`) — `daily_count`
 * keeps each dimension apart and cannot give the cross product. No name, text or id is read.
 */
export async function eventCells(db: Db, from: string, to: string): Promise<EventCell[]> {
  const cells: EventCell[] = [];
  const end = addDays(to, 1);
  for (const [measure, event] of Object.entries(EVENTS) as [OpenDataMeasure, (typeof EVENTS)[OpenDataMeasure]][]) {
    const at = sql.ref<string>(`submission.${event.at}`);
    // Literal 1 and 10 (not parameters), so PostgreSQL sees the same expression in GROUP BY.
    const day = sql<string>`substr(${at}, 1, 10)`;
    let query = db
      .selectFrom('submission')
      .innerJoin('declarant', 'declarant.submission_id', 'submission.id')
      .select([
        day.as('day'),
        'declarant.region',
        'submission.channel',
        'declarant.party',
        'declarant.youth_league',
        'declarant.young_pioneers',
        (eb) => eb.fn.countAll<string | number>().as('n'),
      ])
      .where(at, '>=', from)
      .where(at, '<', end)
      .groupBy([day, 'declarant.region', 'submission.channel', 'declarant.party', 'declarant.youth_league', 'declarant.young_pioneers']);
    if (event.status) query = query.where('submission.status', '=', event.status);
    if (event.published === true) query = query.where('submission.published_at', 'is not', null);
    if (event.published === false) query = query.where('submission.published_at', 'is', null);
    for (const row of await query.execute()) {
      cells.push({
        measure,
        day: row.day,
        region: row.region,
        channel: row.channel,
        party: Number(row.party),
        youth_league: Number(row.youth_league),
        young_pioneers: Number(row.young_pioneers),
        n: Number(row.n),
      });
    }
  }
  return cells;
}
