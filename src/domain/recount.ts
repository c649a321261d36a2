import { countMoves, mergeCountMoves, type CountedStatement, type CountMove } from './count-moves.js';

/** What a recount needs of one stored statement: its status, its days and its people. */
export interface StoredStatement extends CountedStatement {
  status: string;
  receivedAt: string;
  publishedAt: string | null;
  /** When its status last changed (rejection, duplicate, retraction). */
  updatedAt: string;
}

/**
 * The count moves a statement's history implies, replayed from what the base tables keep: it was
 * received; if it has a publication time it was published; its final status (rejected,
 * duplicate, retracted) happened on its last update. The same `countMoves` as the live path,
 * so the recount and the rollups can only disagree if a rollup drifted.
 */
export function movesOfStatement(s: StoredStatement): CountMove[] {
  const day = (iso: string) => iso.slice(0, 10);
  const moves = countMoves('received', day(s.receivedAt), s);
  if (s.publishedAt) moves.push(...countMoves('published', day(s.publishedAt), s));
  if (s.status === 'rejected') moves.push(...countMoves('rejected', day(s.updatedAt), s));
  if (s.status === 'duplicate') moves.push(...countMoves('duplicate', day(s.updatedAt), s));
  if (s.status === 'retracted') moves.push(...countMoves('retracted', day(s.updatedAt), { ...s, wasPublished: s.publishedAt !== null }));
  return moves;
}

/**
 * The cells of `purged_count` as count moves. Statements deleted by retention are gone from the
 * base tables, but the rollups keep their history; the retention job tallied their moves (with
 * `movesOfStatement`, in the transaction that deleted them), and a recount adds the tally back.
 */
export function movesOfPurgedCells(cells: { day: string; metric: string; dimension: string; value: string; n: number | string }[]): CountMove[] {
  return cells.map((c) => ({ day: c.day, metric: c.metric, dimension: c.dimension as CountMove['dimension'], value: c.value, delta: Number(c.n) }));
}

/** One cell where the rollup and the recount disagree. */
export interface CountDifference {
  day: string;
  metric: string;
  dimension: string;
  value: string;
  stored: number;
  recounted: number;
}

export function cellKey(c: { day: string; metric: string; dimension: string; value: string }): string {
  return `${c.day}\u0000${c.metric}\u0000${c.dimension}\u0000${c.value}`;
}

/** Every cell whose stored figure differs from the recount (missing cells count as 0). */
export function countDifferences(recounted: CountMove[], stored: { day: string; metric: string; dimension: string; value: string; n: number }[]): CountDifference[] {
  const cells = new Map<string, CountDifference>();
  for (const m of mergeCountMoves(recounted)) {
    cells.set(cellKey(m), { day: m.day, metric: m.metric, dimension: m.dimension, value: m.value, stored: 0, recounted: m.delta });
  }
  for (const row of stored) {
    const key = cellKey(row);
    const cell = cells.get(key) ?? { day: row.day, metric: row.metric, dimension: row.dimension, value: row.value, stored: 0, recounted: 0 };
    cell.stored += Number(row.n);
    cells.set(key, cell);
  }
  return [...cells.values()]
    .filter((c) => c.stored !== c.recounted)
    .sort((a, b) => cellKey(a).localeCompare(cellKey(b)));
}
