import { ORGANIZATIONS, type Organization } from './organizations.js';

/** The events that move the counts. */
export type CountEvent = 'received' | 'published' | 'rejected' | 'duplicate' | 'retracted';

/**
 * One increment of one cell of `daily_count`, or of `daily_cell` for dimension `cell` (the open
 * data's cross product, keyed by `openDataCellValue`).
 */
export interface CountMove {
  day: string;
  metric: string;
  dimension: 'total' | 'organization' | 'region' | 'channel' | 'reason' | 'stage' | 'cell';
  value: string;
  delta: number;
}

/** What a statement contributes to the counts: its channel and its people. */
export interface CountedStatement {
  channel: string;
  people: { region: string; organizations: Organization[] }[];
  /** For rejections: why. */
  reason?: string | null;
  /** For retractions: whether it had been published (then its persons leave the headline count). */
  wasPublished?: boolean;
}

/**
 * The count cells an event moves. Statements and persons are counted apart, and each by
 * channel; persons also by region and organisation (for every event, so rejections, duplicates
 * and retractions can be read by region and organisation too). The headline count is
 * `persons_published − persons_retracted`: a retraction is its own visible movement, never an
 * erasure of history. Pure, so a recount can replay it over the base tables.
 */
export function countMoves(event: CountEvent, day: string, statement: CountedStatement): CountMove[] {
  const moves: CountMove[] = [];
  const add = (metric: string, dimension: CountMove['dimension'], value: string, delta = 1) =>
    moves.push({ day, metric, dimension, value, delta });
  const statements = `statements_${event}`;
  add(statements, 'total', '');
  add(statements, 'channel', statement.channel);
  if (event === 'rejected') add(statements, 'reason', statement.reason ?? 'other');
  // A retraction before publication never reached the published figures; keep the two apart.
  if (event === 'retracted') add(statements, 'stage', statement.wasPublished ? 'published' : 'pending');
  // Persons of every event, split by channel, region and organisation. A retraction before
  // publication is kept apart (`persons_retracted_pending`), so `persons_retracted` stays exactly
  // what leaves the headline count.
  const persons = event === 'retracted' && !statement.wasPublished ? 'persons_retracted_pending' : `persons_${event}`;
  add(persons, 'total', '', statement.people.length);
  add(persons, 'channel', statement.channel, statement.people.length);
  if (event === 'rejected') add(persons, 'reason', statement.reason ?? 'other', statement.people.length);
  for (const person of statement.people) {
    add(persons, 'region', person.region);
    for (const org of ORGANIZATIONS) {
      if (!person.organizations.includes(org)) continue;
      add(persons, 'organization', org);
      // The open data's row (day × region × organisation × channel), kept as it happens so that
      // no read has to rebuild it from the statements.
      add(persons, 'cell', openDataCellValue(person.region, org, statement.channel));
    }
  }
  return moves;
}

/** The value of a `cell` move: region, organisation and channel (none of which holds a `|`). */
export function openDataCellValue(region: string, organization: Organization, channel: string): string {
  return `${region}|${organization}|${channel}`;
}

/** Adds moves that hit the same cell together, so each cell is written once. */
export function mergeCountMoves(moves: CountMove[]): CountMove[] {
  const merged: CountMove[] = [];
  // The moves of a few statements (every submission on the intake path) are merged by looking
  // through what is merged so far: a handful of comparisons costs far less than building and
  // hashing a string key per move. Larger sets go through a map.
  if (moves.length <= SCAN_AT_MOST) {
    for (const move of moves) {
      const cell = merged.find((m) => m.value === move.value && m.dimension === move.dimension && m.metric === move.metric && m.day === move.day);
      if (cell) cell.delta += move.delta;
      else merged.push({ ...move });
    }
  } else {
    const cells = new Map<string, CountMove>();
    for (const move of moves) {
      const key = `${move.day}\u0000${move.metric}\u0000${move.dimension}\u0000${move.value}`;
      const cell = cells.get(key);
      if (cell) cell.delta += move.delta;
      else {
        const copy = { ...move };
        cells.set(key, copy);
        merged.push(copy);
      }
    }
  }
  return merged.filter((m) => m.delta !== 0);
}

const SCAN_AT_MOST = 64;
