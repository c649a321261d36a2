import { CHANNEL_KINDS, emptyTally, type LogTally } from './log-entry.js';
import { ORGANIZATIONS } from './organizations.js';
import { countingDays, summarizeCount, type PublicCount } from './public-count.js';
import { REGIONS } from './regions.js';

// The count the transparency log's entries add up to (docs/log.md, "The count"), as the log
// sequencer keeps it beside the tree: the figures of `LogTally` without its map of statements,
// which can be rebuilt from the entries of the statements a batch touches.

/** A tally's figures: everything `/api/v1/stats` answers from. */
export type TallyFigures = Pick<LogTally, 'total' | 'byOrganization' | 'byRegion' | 'byChannel' | 'byDay'>;

/** The figures of a tally, for storage (JSON). */
export function tallyFigures(tally: LogTally): TallyFigures {
  return { total: tally.total, byOrganization: tally.byOrganization, byRegion: tally.byRegion, byChannel: tally.byChannel, byDay: tally.byDay };
}

/** A tally of `size` entries with these figures and the given statements (those a batch needs). */
export function tallyFromFigures(size: number, figures: TallyFigures, statements: LogTally['statements'] = new Map()): LogTally {
  const copy = JSON.parse(JSON.stringify(figures)) as TallyFigures;
  return { ...emptyTally(), ...copy, size, statements };
}

/** The counter as the log binds it (README "Transparency log", docs/log.md "The count in /api/v1/stats"). */
export interface LoggedCount extends PublicCount {
  byRegion: Record<string, number>;
  byChannel: Record<string, number>;
  /** The UTC day the period figures (today, yesterday, this week, this month) are counted for. */
  day: string;
  /** The checkpoint whose first `size` entries add up to every figure above. */
  log: { origin: string; size: number; rootHash: string };
}

/**
 * The public counter from a tally: every figure is the tally's (periods by `summarizeCount` from
 * its days), every region code and channel kind named, zero when absent.
 */
export function loggedCount(
  now: Date,
  figures: TallyFigures,
  log: LoggedCount['log'],
  lastUpdate: string | null,
): LoggedCount {
  const days = Object.entries(figures.byDay).map(([day, d]) => ({ day, published: d.published, retracted: d.retracted }));
  const count = summarizeCount(now, figures.total, days, new Map(Object.entries(figures.byOrganization)), lastUpdate);
  return {
    ...count,
    byOrganization: Object.fromEntries(ORGANIZATIONS.map((o) => [o, figures.byOrganization[o] ?? 0])) as PublicCount['byOrganization'],
    byRegion: Object.fromEntries(REGIONS.map(([code]) => [code, figures.byRegion[code] ?? 0])),
    byChannel: Object.fromEntries(CHANNEL_KINDS.map((c) => [c, figures.byChannel[c] ?? 0])),
    day: countingDays(now).today,
    log,
  };
}

/** A figure on which the log's tally and the rollups (daily_count) disagree. */
export interface TallyDifference {
  /** e.g. `total`, `organization=party`, `region=110000`, `channel=self_submitted`, `2026-12-04 published`. */
  figure: string;
  log: number;
  rollups: number;
}

/**
 * Compares a tally with the rollup cells of `daily_count`: net persons (persons_published −
 * persons_retracted) in total, by organisation and by region; by channel kind (`web` is
 * self-submitted, every other channel is recorded by a volunteer, imported or not, which the
 * rollups do not tell apart); and per day, persons published and persons retracted.
 */
export function tallyDifferences(figures: TallyFigures, cells: readonly { day: string; metric: string; dimension: string; value: string; n: number }[]): TallyDifference[] {
  const rollups = new Map<string, number>();
  const add = (figure: string, n: number) => rollups.set(figure, (rollups.get(figure) ?? 0) + n);
  for (const cell of cells) {
    const sign = cell.metric === 'persons_published' ? 1 : cell.metric === 'persons_retracted' ? -1 : 0;
    if (sign === 0) continue;
    if (cell.dimension === 'total') {
      add('total', sign * cell.n);
      add(`${cell.day} ${sign > 0 ? 'published' : 'retracted'}`, cell.n);
    } else if (cell.dimension === 'organization' || cell.dimension === 'region') {
      add(`${cell.dimension}=${cell.value}`, sign * cell.n);
    } else if (cell.dimension === 'channel') {
      add(`channel=${cell.value === 'web' ? 'self_submitted' : 'volunteer_recorded+imported'}`, sign * cell.n);
    }
  }
  const logged = new Map<string, number>([['total', figures.total]]);
  const put = (figure: string, n: number) => logged.set(figure, (logged.get(figure) ?? 0) + n);
  for (const [o, n] of Object.entries(figures.byOrganization)) put(`organization=${o}`, n);
  for (const [r, n] of Object.entries(figures.byRegion)) put(`region=${r}`, n);
  for (const [c, n] of Object.entries(figures.byChannel)) put(`channel=${c === 'self_submitted' ? c : 'volunteer_recorded+imported'}`, n);
  for (const [day, d] of Object.entries(figures.byDay)) {
    put(`${day} published`, d.published);
    put(`${day} retracted`, d.retracted);
  }
  const differences: TallyDifference[] = [];
  for (const figure of [...new Set([...logged.keys(), ...rollups.keys()])].sort()) {
    const log = logged.get(figure) ?? 0;
    const counted = rollups.get(figure) ?? 0;
    if (log !== counted) differences.push({ figure, log, rollups: counted });
  }
  return differences;
}
