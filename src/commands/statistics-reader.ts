import { cumulativeDays, monthlyFigures, recentDays, type DayFigures, type MonthFigures } from '../domain/daily-series.js';
import { addDays, OPEN_DATA_MEASURES, type OpenDataMeasure } from '../domain/open-data.js';
import type { Database } from '../storage/database.js';
import { liveFigures } from './ended-days.js';

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
  const today = now.toISOString().slice(0, 10);
  // The ended days summed once (ended-days.ts), today's cells read now: published figures are live.
  const live = await liveFigures(database, today, now.getTime());
  const { moves } = live;
  const totals = live.ended.totals;
  const byTotal = live.net('total');
  const event = Object.fromEntries(OPEN_DATA_MEASURES.map((m) => [m, totals.get(`persons_${m}`) ?? 0])) as Record<OpenDataMeasure, number>;
  // Received and neither published, rejected, marked duplicate nor retracted: still waiting for review.
  const pending = event.received - event.published - event.rejected - event.duplicate - event.retracted_pending;
  return {
    today,
    total: byTotal.get('') ?? 0,
    cumulative: cumulativeDays(moves, today),
    months: monthlyFigures(moves),
    recent: recentDays(moves, today),
    byOrganization: live.net('organization'),
    byRegion: live.net('region'),
    byChannel: live.net('channel'),
    flow: { ...event, pending },
    flowUntil: addDays(today, -1),
  };
}
