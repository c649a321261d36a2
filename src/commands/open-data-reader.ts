import { setImmediate as nextTurn } from 'node:timers/promises';
import { addDays, monthDays, monthsOf, tabulateRollup, withholdUnendedDays, type OpenDataRow } from '../domain/open-data.js';
import { suppressSmallCells } from '../domain/suppression.js';
import type { Database } from '../storage/database.js';
import { openDataCells } from '../storage/statistics.repository.js';

/** The open data of a day range, small cells withheld. */
export interface OpenData {
  from: string;
  to: string;
  /** Counts from 1 to `minCell − 1` are withheld (with their complements). */
  minCell: number;
  rows: OpenDataRow[];
}

/**
 * Persons per day × region × organisation × channel and event, read from the rollup
 * (`daily_cell`, which `rcenter recount` checks against the statements), small cells suppressed
 * day by day, and on days that have not ended (`today`) the figures of submissions no editor may
 * have seen yet withheld (AFTER_THE_DAY_MEASURES).
 */
export async function readOpenData(database: Database, range: { from: string; to: string }, minCell: number, today = utcToday()): Promise<OpenData> {
  const cells = await openDataCells(database.db, range.from, range.to);
  return { ...range, minCell, rows: withholdUnendedDays(suppressSmallCells(tabulateRollup(cells, today), minCell), today) };
}

/** A month of the open data kept in memory, and until when. */
interface MonthPiece {
  rows: OpenDataRow[];
  today: string;
  expires: number;
}

/** Months kept: a range is at most 13 of them; two ranges' worth. */
const MONTHS_KEPT = 26;
/** The current month changes with every publication; a past one only by a late repair. */
const CURRENT_MONTH_MS = 60_000;
const PAST_MONTH_MS = 600_000;

/**
 * The open data put together from calendar months, each computed once and kept (suppression is
 * day by day, so the rows of a month do not depend on the range asked for): any range of up to
 * 366 days costs at most 13 small rollup reads, and the same months serve every range.
 */
export class OpenDataMonths {
  private readonly months = new Map<string, MonthPiece>();

  constructor(
    private readonly database: Database,
    private readonly minCell: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The open data of `range` (its days up to `today`). */
  async read(range: { from: string; to: string }, today = utcToday(new Date(this.now()))): Promise<OpenData> {
    const rows: OpenDataRow[] = [];
    for (const month of monthsOf(range.from, range.to < today ? range.to : today)) {
      for (const row of await this.month(month, today)) if (row.day >= range.from && row.day <= range.to) rows.push(row);
    }
    return { ...range, minCell: this.minCell, rows };
  }

  private async month(month: string, today: string): Promise<OpenDataRow[]> {
    const now = this.now();
    const kept = this.months.get(month);
    if (kept && kept.today === today && kept.expires > now) return kept.rows;
    const days = monthDays(month);
    // Day by day, the event loop served between days: each slice is one day's rows (suppression
    // is per day anyway), a few milliseconds, however long the month's file.
    const rows: OpenDataRow[] = [];
    for (let day = days.from; day <= days.to && day <= today; day = addDays(day, 1)) {
      rows.push(...(await readOpenData(this.database, { from: day, to: day }, this.minCell, today)).rows);
      await nextTurn();
    }
    this.months.delete(month);
    this.months.set(month, { rows, today, expires: now + (days.to >= today ? CURRENT_MONTH_MS : PAST_MONTH_MS) });
    if (this.months.size > MONTHS_KEPT) this.months.delete(this.months.keys().next().value!);
    return rows;
  }
}

function utcToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
