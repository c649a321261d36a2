import { nameKey } from '../domain/name-key.js';
import { bandSimilarity } from '../domain/text-fingerprint.js';
import type { Database } from '../storage/database.js';
import { bandsOfMany, countEnteredBetween, sameNameSubmissions, statusesOf, submissionsInBands } from '../storage/review.repository.js';
import type { DeclarantTable, SubmissionTable } from '../storage/schema.js';

const SAME_NAME_DAYS = 30;
const NEAR_TEXT_SIMILARITY = 0.6;
/** Most near-identical texts named per submission; the oldest copies come first in each band. */
export const NEAR_TEXT_SHOWN = 10;
/** More entries than this from one volunteer within an hour is worth a second look. */
const BURST_PER_HOUR = 30;

export interface DuplicateHints {
  /**
   * True while the submission waits for the background indexer (hint-indexer.ts): its text has
   * not been compared yet, so `nearText` is empty for now, not "none found".
   */
  pending: boolean;
  sameName: { id: string; status: string }[];
  nearText: { id: string; status: string; similarity: number }[];
  volunteerBurst: number | null;
}

/**
 * The duplicate hints of submissions about to be shown, by id. Only reads: near-identical texts
 * come from the bands the indexer stored (one bounded look-up per distinct band, then the
 * candidates' own bands, compared as signatures), never from the texts themselves.
 */
export async function duplicateHintsOf(
  database: Database,
  rows: readonly SubmissionTable[],
  people: ReadonlyMap<string, DeclarantTable[]>,
): Promise<Map<string, DuplicateHints>> {
  const nearText = await nearTextOf(database, rows.filter((r) => r.text_indexed === 1).map((r) => r.id));
  const hints = new Map<string, DuplicateHints>();
  for (const row of rows) {
    hints.set(row.id, {
      pending: row.text_indexed !== 1,
      sameName: await sameNameOf(database, row, people.get(row.id) ?? []),
      nearText: nearText.get(row.id) ?? [],
      volunteerBurst: await volunteerBurstOf(database, row),
    });
  }
  return hints;
}

async function nearTextOf(database: Database, ids: string[]): Promise<Map<string, DuplicateHints['nearText']>> {
  const own = await bandsOfMany(database.db, ids);
  // One more than shown per band: the submission itself may be among them.
  const inBand = await submissionsInBands(database.db, [...new Set([...own.values()].flat())], NEAR_TEXT_SHOWN + 1);
  const candidatesOf = new Map<string, string[]>();
  for (const [id, bands] of own) {
    candidatesOf.set(id, [...new Set(bands.flatMap((band) => inBand.get(band) ?? []))].filter((other) => other !== id));
  }
  const everyone = [...new Set([...candidatesOf.values()].flat())];
  const [theirs, statuses] = await Promise.all([bandsOfMany(database.db, everyone), statusesOf(database.db, everyone)]);
  const result = new Map<string, DuplicateHints['nearText']>();
  for (const [id, candidates] of candidatesOf) {
    const near = candidates
      .filter((other) => statuses.has(other))
      .map((other) => ({ id: other, status: statuses.get(other)!, similarity: bandSimilarity(own.get(id)!, theirs.get(other) ?? []) }))
      .filter((c) => c.similarity >= NEAR_TEXT_SIMILARITY)
      .sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1));
    result.set(id, near.slice(0, NEAR_TEXT_SHOWN));
  }
  return result;
}

function sameNameOf(database: Database, row: SubmissionTable, declarants: DeclarantTable[]): Promise<DuplicateHints['sameName']> {
  const received = Date.parse(row.received_at);
  const window = SAME_NAME_DAYS * 86_400_000;
  // A submission not indexed yet has no stored keys; its own are worked out here (a name is short).
  const people = declarants.map((d) => ({ name_key: d.name_key ?? nameKey(d.display_name), region: d.region }));
  return sameNameSubmissions(database.db, row.id, people, new Date(received - window).toISOString(), new Date(received + window).toISOString());
}

async function volunteerBurstOf(database: Database, row: SubmissionTable): Promise<number | null> {
  if (!row.entered_by) return null;
  const received = Date.parse(row.received_at);
  const around = await countEnteredBetween(
    database.db,
    row.entered_by,
    new Date(received - 30 * 60_000).toISOString(),
    new Date(received + 30 * 60_000).toISOString(),
  );
  return around > BURST_PER_HOUR ? around : null;
}
