import { cumulativeDays, monthlyFigures, recentDays, type DayFigures, type MonthFigures } from '../domain/daily-series.js';
import { addDays, OPEN_DATA_MEASURES, type OpenDataMeasure } from '../domain/open-data.js';
import type { Database } from '../storage/database.js';
import { netPersonsBy, personMovesSince } from '../storage/public-count.repository.js';
import { personTotals } from '../storage/statistics.repository.js';

/** Everything the statistics page shows, read from the rollups (`daily_count`). */
export interface Statistics {
  /** The UTC day the figures run to. */
  today: string;
  /** Net persons (published − retracted): the headline count. */
  total: number;
  /** The running net total at the end of each day, from the first publication to today. */
  cumulative: { day: string; cumulative: number }[];
  /** The cumulative series by month, for the table. */
  months: MonthFigures[];
  /** The last 365 days with the 28-day average of persons published. */
  recent: DayFigures[];
  /** Net persons per organisation, region and channel (published − retracted). */
  byOrganization: Map<string, number>;
  byRegion: Map<string, number>;
  byChannel: Map<string, number>;
  /**
   * Persons per event over the UTC days that have ended (up to `flowUntil`); `pending` is received
   * and not yet decided. Today's received, rejected and duplicate persons are left out: they would
   * show a submission's arrival before any editor has seen it. The published figures above are live.
   */
  flow: Record<OpenDataMeasure | 'pending', number>;
  /** The last day `flow` covers: yesterday (UTC). */
  flowUntil: string;
}

/** Reads the statistics page's figures at `now`. */
export async function readStatistics(database: Database, now = new Date()): Promise<Statistics> {
  const { db } = database;
  const today = now.toISOString().slice(0, 10);
  const [moves, byTotal, byOrganization, byRegion, byChannel, totals] = await Promise.all([
    personMovesSince(db, '0000-01-01'),
    netPersonsBy(db, 'total'),
    netPersonsBy(db, 'organization'),
    netPersonsBy(db, 'region'),
    netPersonsBy(db, 'channel'),
    personTotals(db, today),
  ]);
  const event = Object.fromEntries(OPEN_DATA_MEASURES.map((m) => [m, totals.get(`persons_${m}`) ?? 0])) as Record<OpenDataMeasure, number>;
  // Received and neither published, rejected, marked duplicate nor retracted: still waiting for review.
  const pending = event.received - event.published - event.rejected - event.duplicate - event.retracted_pending;
  return {
    today,
    total: byTotal.get('') ?? 0,
    cumulative: cumulativeDays(moves, today),
    months: monthlyFigures(moves),
    recent: recentDays(moves, today),
    byOrganization,
    byRegion,
    byChannel,
    flow: { ...event, pending },
    flowUntil: addDays(today, -1),
  };
}
