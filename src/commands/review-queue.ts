import { nameKey } from '../domain/name-key.js';
import { ORGANIZATIONS } from '../domain/organizations.js';
import { ServiceError } from '../domain/service-error.js';
import { textBands, textSimilarity } from '../domain/text-fingerprint.js';
import type { Database } from '../storage/database.js';
import {
  countEnteredBetween,
  declarantsOfMany,
  indexForHints,
  unindexedSubmissionIds,
  listPending,
  sameNameSubmissions,
  sharedBandSubmissions,
  type QueueFilters,
} from '../storage/review.repository.js';
import type { DeclarantTable, SubmissionTable } from '../storage/schema.js';
import { findSubmissionById } from '../storage/submission.repository.js';
import type { StaffMember } from './staff-sessions.js';

export const QUEUE_PAGE_SIZE = 50;
const SAME_NAME_DAYS = 30;
const NEAR_TEXT_SIMILARITY = 0.6;
/** More entries than this from one volunteer within an hour is worth a second look. */
const BURST_PER_HOUR = 30;

export interface DuplicateHints {
  sameName: { id: string; status: string }[];
  nearText: { id: string; status: string; similarity: number }[];
  volunteerBurst: number | null;
}

/** What an editor sees of a submission in the queue: everything but the contact ciphertext. */
export interface QueueItem {
  id: string;
  receivedAt: string;
  language: string;
  channel: string;
  proofOfWork: boolean;
  flagged: boolean;
  consent: boolean;
  enteredBy: string | null;
  status: string;
  title: string | null;
  text: string | null;
  hasContact: boolean;
  featured: boolean;
  registrationNumber: number | null;
  declarants: { displayName: string; nameKind: string; organizations: string[]; region: string; occupation: string | null }[];
  hints: DuplicateHints;
}

/** One page of the review queue, oldest first, with duplicate hints for each item. */
export async function readQueue(database: Database, filters: QueueFilters, page: number): Promise<QueueItem[]> {
  const rows = await listPending(database.db, filters, QUEUE_PAGE_SIZE, (Math.max(1, page) - 1) * QUEUE_PAGE_SIZE);
  // The whole page is indexed before any hint is computed, so items of one burst find each other.
  await indexForReview(database, rows.map((r) => r.id));
  const people = await declarantsOfMany(database.db, rows.map((r) => r.id));
  return Promise.all(rows.map((row) => queueItem(database, row, people.get(row.id) ?? [])));
}

/** One submission as the queue shows it, or undefined. */
export async function readQueueItem(database: Database, id: string): Promise<QueueItem | undefined> {
  await indexForReview(database, [id]);
  const record = await findSubmissionById(database.db, id);
  return record && queueItem(database, record.submission, record.declarants);
}

const NO_HINTS: DuplicateHints = { sameName: [], nearText: [], volunteerBurst: null };

/**
 * One submission as a staff member may see it: volunteers only their own entries (`forbidden`
 * otherwise), and without duplicate hints, which would name other people's statements.
 */
export async function readEntryFor(database: Database, id: string, member: StaffMember): Promise<QueueItem> {
  if (member.role === 'volunteer') {
    // Checked before anything else is read or indexed; someone else's entry is "forbidden" only
    // once we know it exists, and an unknown id answers the same as any other refusal would.
    const record = await findSubmissionById(database.db, id);
    if (!record || record.submission.entered_by !== member.id) throw new ServiceError({ code: 'forbidden' });
    return queueItem(database, record.submission, record.declarants, false);
  }
  const item = await readQueueItem(database, id);
  if (!item) throw new ServiceError({ code: 'not_found' });
  return item;
}

/** Most not-yet-indexed submissions indexed along with the ones an editor is looking at. */
const BACKLOG_PER_VIEW = 2000;

/**
 * Indexes for duplicate hints the submissions an editor is about to see, and the oldest of the
 * others intake left unindexed, so that a hint can point at a statement nobody has opened yet.
 */
export function indexForReview(database: Database, ids: string[]): Promise<void> {
  return database.db.transaction().execute(async (trx) => {
    const backlog = await unindexedSubmissionIds(trx, BACKLOG_PER_VIEW);
    await indexForHints(trx, [...new Set([...ids, ...backlog])], textBands, nameKey);
  });
}

async function queueItem(database: Database, row: SubmissionTable, declarants: DeclarantTable[], withHints = true): Promise<QueueItem> {
  return {
    id: row.id,
    receivedAt: row.received_at,
    language: row.language,
    channel: row.channel,
    proofOfWork: row.proof_of_work === 1,
    flagged: row.flagged === 1,
    consent: row.consent === 1,
    enteredBy: row.entered_by,
    status: row.status,
    title: row.title,
    text: row.text,
    hasContact: row.contact_ciphertext !== null,
    featured: row.featured === 1,
    registrationNumber: row.registration_number,
    declarants: declarants.map((d) => ({
      displayName: d.display_name,
      nameKind: d.name_kind,
      organizations: ORGANIZATIONS.filter((o) => d[o] === 1),
      region: d.region,
      occupation: d.occupation,
    })),
    hints: withHints ? await duplicateHints(database, row, declarants) : NO_HINTS,
  };
}

async function duplicateHints(database: Database, row: SubmissionTable, declarants: DeclarantTable[]): Promise<DuplicateHints> {
  const received = Date.parse(row.received_at);
  const window = SAME_NAME_DAYS * 86_400_000;
  const sameName = await sameNameSubmissions(
    database.db,
    row.id,
    declarants,
    new Date(received - window).toISOString(),
    new Date(received + window).toISOString(),
  );
  const candidates = row.text ? await sharedBandSubmissions(database.db, row.id) : [];
  const nearText = candidates
    .map((c) => ({ id: c.id, status: c.status, similarity: textSimilarity(row.text, c.text) }))
    .filter((c) => c.similarity >= NEAR_TEXT_SIMILARITY)
    .sort((a, b) => b.similarity - a.similarity);
  let volunteerBurst: number | null = null;
  if (row.entered_by) {
    const around = await countEnteredBetween(
      database.db,
      row.entered_by,
      new Date(received - 30 * 60_000).toISOString(),
      new Date(received + 30 * 60_000).toISOString(),
    );
    if (around > BURST_PER_HOUR) volunteerBurst = around;
  }
  return { sameName, nearText, volunteerBurst };
}
