import type { DayMoves } from '../domain/daily-series.js';
import type { Database } from '../storage/database.js';
import { netPersonsBy, personCellsOfDay, personMovesSince, type NetDimension } from '../storage/public-count.repository.js';
import { personTotals } from '../storage/statistics.repository.js';

/** The figures of every UTC day before `today`, summed once. */
export interface EndedDays {
  today: string;
  /** Published and retracted persons per day. */
  moves: DayMoves[];
  /** Net persons per dimension value. */
  net: Record<NetDimension, Map<string, number>>;
  /** Persons per `persons_*` metric. */
  totals: Map<string, number>;
}

const DIMENSIONS: NetDimension[] = ['total', 'organization', 'region', 'channel'];

/**
 * How long the sums of ended days are kept. Every event is counted on the day it happens, so
 * no request, decision or retraction moves an ended day; only `rcenter recount --repair` (or a
 * demo fill) does, and its result shows here within this time.
 */
const ENDED_DAYS_MS = 600_000;

const kept = new WeakMap<Database, { today: string; expires: number; figures: Promise<EndedDays> }>();

/**
 * The sums of the ended days, read once per UTC day (and `ENDED_DAYS_MS`) per process: the
 * statistics page, the categories page and the counter then read only today's cells (`liveFigures`), so an
 * uncached page no longer sums years of rows at every request.
 */
export function endedDays(database: Database, today: string, now = Date.now()): Promise<EndedDays> {
  const entry = kept.get(database);
  if (entry && entry.today === today && entry.expires > now) return entry.figures;
  const figures = readEndedDays(database, today);
  kept.set(database, { today, expires: now + ENDED_DAYS_MS, figures });
  // A failed read is not kept: the next request tries again.
  figures.catch(() => kept.get(database)?.figures === figures && kept.delete(database));
  return figures;
}

async function readEndedDays(database: Database, today: string): Promise<EndedDays> {
  const { db } = database;
  const [moves, totals, ...net] = await Promise.all([
    personMovesSince(db, '0000-01-01', today),
    personTotals(db, today),
    ...DIMENSIONS.map((d) => netPersonsBy(db, d, { before: today })),
  ]);
  return { today, moves, totals, net: Object.fromEntries(DIMENSIONS.map((d, i) => [d, net[i]!])) as EndedDays['net'] };
}

/** The published figures up to now: the ended days' sums plus today's cells. */
export interface LiveFigures {
  ended: EndedDays;
  /** Published and retracted persons per day, today included. */
  moves: DayMoves[];
  /** Net persons (published − retracted) by one dimension. */
  net(dimension: NetDimension): Map<string, number>;
}

/** The published figures at `today`: the ended days (kept) and one read of today's cells. */
export async function liveFigures(database: Database, today: string, now = Date.now()): Promise<LiveFigures> {
  const [ended, cells] = await Promise.all([endedDays(database, today, now), personCellsOfDay(database.db, today)]);
  const todays = { day: today, published: 0, retracted: 0 };
  for (const cell of cells) {
    if (cell.dimension !== 'total') continue;
    if (cell.metric === 'persons_published') todays.published += Number(cell.n);
    else todays.retracted += Number(cell.n);
  }
  return {
    ended,
    moves: cells.length > 0 ? [...ended.moves, todays] : ended.moves,
    net(dimension) {
      const net = new Map(ended.net[dimension]);
      for (const cell of cells) {
        if (cell.dimension !== dimension) continue;
        net.set(cell.value, (net.get(cell.value) ?? 0) + (cell.metric === 'persons_published' ? 1 : -1) * Number(cell.n));
      }
      return net;
    },
  };
}
