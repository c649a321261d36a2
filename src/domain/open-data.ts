import { ServiceError } from './service-error.js';
import { ORGANIZATIONS, type Organization } from './organizations.js';

/**
 * The person counts each open-data row carries, in column order. The day of each is the day of
 * its event, as in `movesOfStatement` (recount.ts): received on `received_at`, published on
 * `published_at`, rejected / duplicate / retracted on the last status change (`updated_at`).
 * `retracted` is retractions of published statements only (what leaves the headline count);
 * `retracted_pending` is retractions before publication, kept apart like `daily_count` does.
 */
export const OPEN_DATA_MEASURES = ['received', 'published', 'rejected', 'duplicate', 'retracted', 'retracted_pending'] as const;

export type OpenDataMeasure = (typeof OPEN_DATA_MEASURES)[number];

/** The dimensions of one open-data row: a UTC day, a region code, an organisation, a channel. */
export interface OpenDataKey {
  day: string;
  region: string;
  organization: string;
  channel: string;
}

/** One row before suppression: persons per measure (a person renouncing two organisations counts once in each). */
export interface OpenDataCounts extends OpenDataKey {
  counts: Record<OpenDataMeasure, number>;
}

/** One row as published: a suppressed count is `null` and its measure is listed in `suppressed`. */
export interface OpenDataRow extends OpenDataKey {
  counts: Record<OpenDataMeasure, number | null>;
  suppressed: OpenDataMeasure[];
}

/**
 * The measures that show submissions no editor may have seen yet (their arrival, their region and
 * organisations): published only for UTC days that have ended. Published figures, and
 * retractions of published statements, are live.
 */
export const AFTER_THE_DAY_MEASURES: readonly OpenDataMeasure[] = ['received', 'rejected', 'duplicate', 'retracted_pending'];

/** Longest range one request may ask for, in days (both ends included): a year and a leap day. */
export const OPEN_DATA_MAX_DAYS = 366;

/** Days asked for when no range is given: the last 31 UTC days, today included. */
export const OPEN_DATA_DEFAULT_DAYS = 31;

const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` day plus `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * The day range of an open-data request. Absent `to` is today (UTC); absent `from` is 30 days
 * before `to`. A day that is not a real `YYYY-MM-DD`, `from` after `to`, or a range longer than
 * `OPEN_DATA_MAX_DAYS` is refused with `invalid_parameter` naming the field.
 */
export function openDataRange(from: unknown, to: unknown, today: string): { from: string; to: string } {
  if (to !== undefined && !isDay(to)) throw new ServiceError({ code: 'invalid_parameter', field: 'to' });
  if (from !== undefined && !isDay(from)) throw new ServiceError({ code: 'invalid_parameter', field: 'from' });
  const end = (to as string | undefined) ?? today;
  const start = (from as string | undefined) ?? addDays(end, 1 - OPEN_DATA_DEFAULT_DAYS);
  if (start > end) throw new ServiceError({ code: 'invalid_parameter', field: 'from' });
  if (daysBetween(start, end) > OPEN_DATA_MAX_DAYS) throw new ServiceError({ code: 'invalid_parameter', field: 'to' });
  return { from: start, to: end };
}

/** Persons of one event, grouped by day of the event, region, channel and the person's organisations (0/1 each). */
export interface EventCell {
  measure: OpenDataMeasure;
  day: string;
  region: string;
  channel: string;
  party: number;
  youth_league: number;
  young_pioneers: number;
  n: number;
}

/**
 * The cross product day × region × organisation × channel from event cells: each person counts
 * once in every organisation they renounced (as `daily_count` does), so the rows of one day summed
 * over regions and channels give that day's figure for each organisation. Only combinations with
 * at least one event are returned, sorted by day, region, organisation, channel.
 */
export function crossTabulate(cells: readonly EventCell[]): OpenDataCounts[] {
  const rows = new Map<string, OpenDataCounts>();
  for (const cell of cells) {
    for (const organization of ORGANIZATIONS) {
      if (cell[organization] !== 1) continue;
      const key = `${cell.day}\u0000${cell.region}\u0000${organization}\u0000${cell.channel}`;
      let row = rows.get(key);
      if (!row) {
        row = { day: cell.day, region: cell.region, organization, channel: cell.channel, counts: zeroCounts() };
        rows.set(key, row);
      }
      row.counts[cell.measure] += cell.n;
    }
  }
  const order = (r: OpenDataKey) => [r.day, r.region, String(ORGANIZATIONS.indexOf(r.organization as Organization)), r.channel];
  return [...rows.values()].sort((a, b) => compareLists(order(a), order(b)));
}

/** One cell of the `daily_cell` rollup: persons of one `persons_*` metric on one day in one `region|organization|channel`. */
export interface RollupCell {
  day: string;
  metric: string;
  value: string;
  n: number;
}

/**
 * The open-data rows from rollup cells, as `crossTabulate` makes them from event cells. Cells of
 * `AFTER_THE_DAY_MEASURES` on `today` or later are left out, so that no row exists only because
 * a submission arrived today. Sorted by day, region, organisation, channel.
 */
export function tabulateRollup(cells: readonly RollupCell[], today: string): OpenDataCounts[] {
  const rows = new Map<string, OpenDataCounts>();
  for (const cell of cells) {
    const measure = cell.metric.slice('persons_'.length) as OpenDataMeasure;
    if (!cell.metric.startsWith('persons_') || !OPEN_DATA_MEASURES.includes(measure)) continue;
    if (cell.day >= today && AFTER_THE_DAY_MEASURES.includes(measure)) continue;
    const key = `${cell.day}|${cell.value}`;
    let row = rows.get(key);
    if (!row) {
      const [region = '', organization = '', channel = ''] = cell.value.split('|');
      row = { day: cell.day, region, organization, channel, counts: zeroCounts() };
      rows.set(key, row);
    }
    row.counts[measure] += Number(cell.n);
  }
  // Sorted on one string per row, built once (`crossTabulate`'s order: \u0000 sorts before any character).
  const keyed = [...rows.values()].map((row) => ({ row, key: `${row.day}\u0000${row.region}\u0000${ORGANIZATIONS.indexOf(row.organization as Organization)}\u0000${row.channel}` }));
  return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((k) => k.row);
}

/** Rows of `today` (or later) with `AFTER_THE_DAY_MEASURES` withheld: null, and listed in `suppressed`. */
export function withholdUnendedDays(rows: OpenDataRow[], today: string): OpenDataRow[] {
  for (const row of rows) {
    if (row.day < today) continue;
    for (const measure of AFTER_THE_DAY_MEASURES) row.counts[measure] = null;
    row.suppressed = OPEN_DATA_MEASURES.filter((m) => row.suppressed.includes(m) || AFTER_THE_DAY_MEASURES.includes(m));
  }
  return rows;
}

/**
 * The calendar months (`YYYY-MM`) a range touches: the open data is computed and kept month by
 * month, so that any range is put together from a bounded set of pieces.
 */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = nextMonth(month)) months.push(month);
  return months;
}

/** The first and last day of a `YYYY-MM` month. */
export function monthDays(month: string): { from: string; to: string } {
  return { from: `${month}-01`, to: addDays(`${nextMonth(month)}-01`, -1) };
}

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

function zeroCounts(): Record<OpenDataMeasure, number> {
  return Object.fromEntries(OPEN_DATA_MEASURES.map((m) => [m, 0])) as Record<OpenDataMeasure, number>;
}

function compareLists(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}
