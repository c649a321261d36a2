// An independent reference model of the counts, for tests: what `daily_count` must hold, worked
// out from where each statement ended and written from the rules as DESIGN.md states them
// (statements and persons counted apart, each by channel; persons also by region and
// organisation; rejections also by reason; a retraction leaves the headline count only if the
// statement had been published). It shares no code with src/domain/count-moves.ts, so a test
// that compares the stored rollups with it can fail when countMoves itself is wrong.
import type { Database } from '../../src/storage/database.js';

/** A statement as the test saw it happen. */
export interface ModelStatement {
  channel: string;
  people: { region: string; organizations: readonly string[] }[];
  /** Where it ended. */
  status: 'pending' | 'published' | 'rejected' | 'duplicate' | 'retracted';
  /** Whether it was published at some time (a retracted statement may have been). */
  wasPublished: boolean;
  /** Why it was rejected. */
  reason?: string;
}

/** Count cells as `metric dimension value` → n, summed over days, cells of 0 left out. */
export type CountCells = Record<string, number>;

/** The cells the statements must have left in `daily_count` and `daily_cell` (dimension `cell`). */
export function expectedCounts(statements: readonly ModelStatement[]): CountCells {
  const cells: CountCells = {};
  const add = (metric: string, dimension: string, value: string, n: number) => {
    const key = `${metric} ${dimension} ${value}`;
    cells[key] = (cells[key] ?? 0) + n;
  };
  for (const s of statements) {
    const happened: string[] = ['received'];
    if (s.wasPublished) happened.push('published');
    if (s.status === 'rejected' || s.status === 'duplicate' || s.status === 'retracted') happened.push(s.status);
    for (const event of happened) {
      add(`statements_${event}`, 'total', '', 1);
      add(`statements_${event}`, 'channel', s.channel, 1);
      if (event === 'rejected') add('statements_rejected', 'reason', s.reason ?? 'other', 1);
      if (event === 'retracted') add('statements_retracted', 'stage', s.wasPublished ? 'published' : 'pending', 1);
      const persons = event === 'retracted' && !s.wasPublished ? 'persons_retracted_pending' : `persons_${event}`;
      add(persons, 'total', '', s.people.length);
      add(persons, 'channel', s.channel, s.people.length);
      if (event === 'rejected') add(persons, 'reason', s.reason ?? 'other', s.people.length);
      for (const person of s.people) {
        add(persons, 'region', person.region, 1);
        for (const organization of new Set(person.organizations)) {
          add(persons, 'organization', organization, 1);
          // The open data's rollup (daily_cell): region × organisation × channel.
          add(persons, 'cell', `${person.region}|${organization}|${s.channel}`, 1);
        }
      }
    }
  }
  for (const key of Object.keys(cells)) if (cells[key] === 0) delete cells[key];
  return sortedCells(cells);
}

/**
 * What `daily_count` and the open data's `daily_cell` (as dimension `cell`) hold, in the same
 * shape (summed over days, cells of 0 left out).
 */
export async function storedCounts(database: Database): Promise<CountCells> {
  const cells: CountCells = {};
  const add = (key: string, n: number | string) => (cells[key] = (cells[key] ?? 0) + Number(n));
  for (const row of await database.db.selectFrom('daily_count').selectAll().execute()) add(`${row.metric} ${row.dimension} ${row.value}`, row.n);
  for (const row of await database.db.selectFrom('daily_cell').selectAll().execute()) add(`${row.metric} cell ${row.value}`, row.n);
  for (const key of Object.keys(cells)) if (cells[key] === 0) delete cells[key];
  return sortedCells(cells);
}

/** The same cells with their keys in order, so that a failed comparison reads well. */
export function sortedCells(cells: CountCells): CountCells {
  return Object.fromEntries(Object.entries(cells).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
