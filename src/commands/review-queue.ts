import { ORGANIZATIONS } from '../domain/organizations.js';
import { ServiceError } from '../domain/service-error.js';
import type { Database } from '../storage/database.js';
import { declarantsOfMany, listPending, type QueueFilters } from '../storage/review.repository.js';
import type { DeclarantTable, SubmissionTable } from '../storage/schema.js';
import { findSubmissionById } from '../storage/submission.repository.js';
import { duplicateHintsOf, type DuplicateHints } from './duplicate-hints.js';
import type { StaffMember } from './staff-sessions.js';

export type { DuplicateHints };

export const QUEUE_PAGE_SIZE = 50;

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

/**
 * One page of the review queue, oldest first, with duplicate hints for each item. Only reads (a
 * bounded number of indexed look-ups, see duplicate-hints.ts): the hints come from what the
 * background indexer (hint-indexer.ts) stored, and an item it has not reached yet says so.
 */
export async function readQueue(database: Database, filters: QueueFilters, page: number): Promise<QueueItem[]> {
  const rows = await listPending(database.db, filters, QUEUE_PAGE_SIZE, (Math.max(1, page) - 1) * QUEUE_PAGE_SIZE);
  const people = await declarantsOfMany(database.db, rows.map((r) => r.id));
  const hints = await duplicateHintsOf(database, rows, people);
  return rows.map((row) => queueItem(row, people.get(row.id) ?? [], hints.get(row.id)!));
}

/** One submission as the queue shows it, or undefined. Only reads, like readQueue. */
export async function readQueueItem(database: Database, id: string): Promise<QueueItem | undefined> {
  const record = await findSubmissionById(database.db, id);
  if (!record) return undefined;
  const hints = await duplicateHintsOf(database, [record.submission], new Map([[id, record.declarants]]));
  return queueItem(record.submission, record.declarants, hints.get(id)!);
}

const NO_HINTS: DuplicateHints = { pending: false, sameName: [], nearText: [], volunteerBurst: null };

/**
 * One submission as a staff member may see it: volunteers only their own entries (`forbidden`
 * otherwise), and without duplicate hints, which would name other people's statements.
 */
export async function readEntryFor(database: Database, id: string, member: StaffMember): Promise<QueueItem> {
  if (member.role === 'volunteer') {
    // Checked before anything else is read; someone else's entry is "forbidden" only once we
    // know it exists, and an unknown id answers the same as any other refusal would.
    const record = await findSubmissionById(database.db, id);
    if (!record || record.submission.entered_by !== member.id) throw new ServiceError({ code: 'forbidden' });
    return queueItem(record.submission, record.declarants, NO_HINTS);
  }
  const item = await readQueueItem(database, id);
  if (!item) throw new ServiceError({ code: 'not_found' });
  return item;
}

function queueItem(row: SubmissionTable, declarants: DeclarantTable[], hints: DuplicateHints): QueueItem {
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
    hints,
  };
}
