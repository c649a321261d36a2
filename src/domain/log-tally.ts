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
