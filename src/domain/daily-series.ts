import { addDays } from './open-data.js';

const DAY_MS = 86_400_000;
/** 'YYYY-MM-DD' by day number since 1970: the series of the statistics page name ~10,000 days each time. */
const DAY_NAMES = new Map<number, string>();

function dayName(n: number): string {
  let name = DAY_NAMES.get(n);
  if (name === undefined) {
    name = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (DAY_NAMES.size < 100_000) DAY_NAMES.set(n, name);
  }
  return name;
}

/** Persons published and persons retracted (after publication) on one UTC day. */
export interface DayMoves {
  day: string;
  published: number;
  retracted: number;
}

/** One day of the per-day chart: persons published, retracted, net, and the trailing average. */
export interface DayFigures extends DayMoves {
  net: number;
  /** Mean of persons published over the 28 days ending this day (days without any count as 0). */
  average: number;
}

/** One month of the cumulative chart: the net change in the month and the running total at its end. */
export interface MonthFigures {
  month: string;
  net: number;
  cumulative: number;
}

/** Length of the moving average, in days. */
export const AVERAGE_DAYS = 28;

/** Days shown in the per-day chart, today included. */
export const RECENT_DAYS = 365;

/** Every day from `from` to `to` (both included), with zero for days that have no moves. */
export function fillDays(moves: readonly DayMoves[], from: string, to: string): DayMoves[] {
  const byDay = new Map(moves.map((m) => [m.day, m]));
  const days: DayMoves[] = [];
  // Stepped by day number (UTC days are all 86,400 s long); each day's name is made once.
  const last = Date.parse(`${to}T00:00:00Z`) / DAY_MS;
  for (let n = Date.parse(`${from}T00:00:00Z`) / DAY_MS; n <= last; n++) {
    const day = dayName(n);
    const m = byDay.get(day);
    days.push({ day, published: m?.published ?? 0, retracted: m?.retracted ?? 0 });
  }
  return days;
}

/**
 * The last `RECENT_DAYS` days ending `today`, each with its trailing `AVERAGE_DAYS`-day mean of
 * persons published; the mean reaches back before the window so its first day is a full mean.
 */
export function recentDays(moves: readonly DayMoves[], today: string): DayFigures[] {
  const from = addDays(today, 1 - RECENT_DAYS);
  const all = fillDays(moves, addDays(from, 1 - AVERAGE_DAYS), today);
  let sum = 0;
  return all
    .map((d, i) => {
      sum += d.published - (i >= AVERAGE_DAYS ? all[i - AVERAGE_DAYS]!.published : 0);
      return { ...d, net: d.published - d.retracted, average: sum / AVERAGE_DAYS };
    })
    .slice(AVERAGE_DAYS - 1);
}

/** The running net total (published − retracted) at the end of every day from the first move to `today`. */
export function cumulativeDays(moves: readonly DayMoves[], today: string): { day: string; cumulative: number }[] {
  const sorted = [...moves].sort((a, b) => a.day.localeCompare(b.day));
  if (sorted.length === 0) return [];
  let total = 0;
  return fillDays(sorted, sorted[0]!.day, today > sorted.at(-1)!.day ? today : sorted.at(-1)!.day).map((d) => {
    total += d.published - d.retracted;
    return { day: d.day, cumulative: total };
  });
}

/** The cumulative series summed up by calendar month (`YYYY-MM`), for the table under the chart. */
export function monthlyFigures(moves: readonly DayMoves[]): MonthFigures[] {
  const months = new Map<string, number>();
  for (const m of moves) months.set(m.day.slice(0, 7), (months.get(m.day.slice(0, 7)) ?? 0) + m.published - m.retracted);
  let cumulative = 0;
  return [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, net]) => {
      cumulative += net;
      return { month, net, cumulative };
    });
}
