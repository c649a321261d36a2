import type { TallyFigures } from '../domain/compact-tally.js';
import { CHANNEL_KINDS } from '../domain/log-entry.js';
import { ORGANIZATIONS } from '../domain/organizations.js';
import { countingDays, summarizeCount } from '../domain/public-count.js';
import { REGIONS } from '../domain/regions.js';
import type { Hash } from '../tlog/index.js';
import { LogCheckFailure, type CheckLine } from './log-verify-support.js';

// Step 4 of `rcenter verify`: the published count (`/api/v1/stats`) against the tally of the
// first `log.size` entries, breakdown by breakdown, and `log.rootHash` against the tree. Every
// figure must be exactly what the entries add up to (docs/log.md, "The count").

/** The stats document as the contract has it; only what is checked. */
export interface PublishedCount {
  total: number;
  today: number;
  yesterday: number;
  thisWeek: number;
  thisMonth: number;
  byOrganization: Record<string, number>;
  byRegion: Record<string, number>;
  byChannel: Record<string, number>;
  /** The UTC day the periods are counted for. */
  day: string;
  log: { origin: string; size: number; rootHash: string };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_CELLS_SHOWN = 5;

/** Reads the stats JSON strictly; LogCheckFailure names the first field that is not as the contract says. */
export function parsePublishedCount(bytes: Uint8Array): PublishedCount {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new LogCheckFailure('the stats are not JSON');
  }
  const stats = object(json, 'the stats');
  const log = object(stats.log, 'log');
  const day = stats.day;
  if (typeof day !== 'string' || !DAY.test(day) || Number.isNaN(Date.parse(`${day}T12:00:00Z`))) throw new LogCheckFailure('"day" is not a YYYY-MM-DD day');
  if (typeof log.origin !== 'string' || typeof log.rootHash !== 'string') throw new LogCheckFailure('"log" lacks an origin or a rootHash');
  return {
    total: figure(stats.total, 'total'),
    today: figure(stats.today, 'today'),
    yesterday: figure(stats.yesterday, 'yesterday'),
    thisWeek: figure(stats.thisWeek, 'thisWeek'),
    thisMonth: figure(stats.thisMonth, 'thisMonth'),
    byOrganization: figures(stats.byOrganization, 'byOrganization'),
    byRegion: figures(stats.byRegion, 'byRegion'),
    byChannel: figures(stats.byChannel, 'byChannel'),
    day,
    log: { origin: log.origin, size: figure(log.size, 'log.size'), rootHash: log.rootHash },
  };
}

/**
 * The count checks: the stats' log (origin, size, root at that size) and each breakdown against
 * `figures`, the tally of the first `stats.log.size` entries. `rootAtSize` is the tree hash there.
 */
export function checkCount(stats: PublishedCount, figures: TallyFigures, rootAtSize: Hash, origin: string): CheckLine[] {
  const lines: CheckLine[] = [];
  const root = Buffer.from(rootAtSize).toString('base64');
  lines.push(
    stats.log.origin === origin && stats.log.rootHash === root
      ? { ok: true, check: 'count log', detail: `the count is of the first ${stats.log.size} entries, whose tree hash it states correctly` }
      : {
          ok: false,
          check: 'count log',
          detail:
            stats.log.origin !== origin
              ? `the count names the log ${JSON.stringify(stats.log.origin)}, not ${JSON.stringify(origin)}`
              : `the count says the tree of ${stats.log.size} entries has root ${stats.log.rootHash}, the entries make ${root}`,
        },
  );
  lines.push(cells('count total', { total: stats.total }, { total: figures.total }, `${figures.total} persons`));
  const days = [...figures.byDay].map(([day, moves]) => ({ day, ...moves }));
  const periods = summarizeCount(new Date(`${stats.day}T12:00:00Z`), figures.total, days, new Map(), null);
  const periodCheck = cells(
    'count periods',
    { today: stats.today, yesterday: stats.yesterday, thisWeek: stats.thisWeek, thisMonth: stats.thisMonth },
    { today: periods.today, yesterday: periods.yesterday, thisWeek: periods.thisWeek, thisMonth: periods.thisMonth },
    `today, yesterday, this week and this month as of ${stats.day} (week from ${countingDays(new Date(`${stats.day}T12:00:00Z`)).weekStart})`,
  );
  if (periodCheck.ok && figures.lastDay > stats.day) {
    periodCheck.ok = false;
    periodCheck.detail = `the count is dated ${stats.day}, before its last entry's day ${figures.lastDay}`;
  }
  lines.push(periodCheck);
  lines.push(breakdown('count organisations', stats.byOrganization, figures.byOrganization, ORGANIZATIONS));
  lines.push(breakdown('count regions', stats.byRegion, figures.byRegion, REGIONS.map(([code]) => code)));
  lines.push(breakdown('count channels', stats.byChannel, figures.byChannel, CHANNEL_KINDS));
  return lines;
}

/** A breakdown must have exactly `keys`, each equal to the tally's (absent there: 0). */
function breakdown(check: string, served: Record<string, number>, tallied: Record<string, number>, keys: readonly string[]): CheckLine {
  const expected = Object.fromEntries(keys.map((k) => [k, tallied[k] ?? 0]));
  const extra = Object.keys(served).filter((k) => !(k in expected));
  const line = cells(check, served, expected, `${keys.length} cells`);
  if (extra.length > 0) {
    line.detail = `${line.ok ? '' : `${line.detail}; `}cells the log does not have: ${extra.slice(0, MAX_CELLS_SHOWN).join(', ')}`;
    line.ok = false;
  }
  return line;
}

/** Compares served cells with the tally's, naming each that differs. */
function cells(check: string, served: Record<string, number | undefined>, expected: Record<string, number>, passDetail: string): CheckLine {
  const wrong = Object.entries(expected)
    .filter(([key, n]) => served[key] !== n)
    .map(([key, n]) => `${key} is ${served[key] === undefined ? 'missing' : served[key]}, the log adds up to ${n}`);
  if (wrong.length === 0) return { ok: true, check, detail: `matches the log: ${passDetail}` };
  const more = wrong.length > MAX_CELLS_SHOWN ? `, and ${wrong.length - MAX_CELLS_SHOWN} more` : '';
  return { ok: false, check, detail: `${wrong.slice(0, MAX_CELLS_SHOWN).join('; ')}${more}` };
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LogCheckFailure(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function figure(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new LogCheckFailure(`"${what}" is not a whole number`);
  return value;
}

function figures(value: unknown, what: string): Record<string, number> {
  const record = object(value, `"${what}"`);
  for (const [key, n] of Object.entries(record)) figure(n, `${what}.${key}`);
  return record as Record<string, number>;
}
