import { crossTabulate, type OpenDataRow } from '../domain/open-data.js';
import { suppressSmallCells } from '../domain/suppression.js';
import type { Database } from '../storage/database.js';
import { eventCells } from '../storage/statistics.repository.js';

/** The open data of a day range, small cells withheld. */
export interface OpenData {
  from: string;
  to: string;
  /** Counts from 1 to `minCell − 1` are withheld (with their complements). */
  minCell: number;
  rows: OpenDataRow[];
}

/**
 * Persons per day × region × organisation × channel and event, computed from the base tables
 * (the same ones `rcenter recount` rebuilds the rollups from), then small-cell suppressed.
 */
export async function readOpenData(database: Database, range: { from: string; to: string }, minCell: number): Promise<OpenData> {
  const cells = await eventCells(database.db, range.from, range.to);
  return { ...range, minCell, rows: suppressSmallCells(crossTabulate(cells), minCell) };
}
