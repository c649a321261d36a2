import { countMoves } from '../../domain/count-moves.js';
import { publishedEvent } from '../../domain/publication-event.js';
import { searchTokens } from '../../domain/search-tokens.js';
import { ServiceError } from '../../domain/service-error.js';
import { appendAudit } from '../../storage/audit.repository.js';
import { applyCountMoves } from '../../storage/count.repository.js';
import { takeCounterValues } from '../../storage/counter.repository.js';
import type { Database } from '../../storage/database.js';
import { appendPublicationEvents } from '../../storage/publication/publication-log.repository.js';
import { addToPublicIndexes } from '../../storage/publication/public-indexes.repository.js';
import { countedStatement, updateSubmissionStatus } from '../../storage/submission.repository.js';
import { loadPending } from '../review-context.js';
import type { StaffMember } from '../staff-sessions.js';
import { coarseNow } from '../clock.js';
import { publicationHeadOf } from './publication-head.js';
import { commitmentOf, newCommitmentSalts } from './statement-commitment.js';

/**
 * Publishes pending submissions (promise 4: only an editor's approval publishes). Each gets the
 * next registration number, a new commitment salt (served with it) and one `published` event in
 * the publication log carrying its commitment (docs/log.md); the status, the
 * numbers, the counts, the category and search indexes, the events and the audit entries commit
 * in one transaction, so a bulk approval is all or nothing.
 */
export async function approveSubmissions(
  database: Database,
  ids: readonly string[],
  member: StaffMember,
): Promise<{ id: string; registrationNumber: number }[]> {
  // To the minute, like its audit entry: an exact time would date the entries beside it.
  const now = coarseNow();
  const assigned = await database.db.transaction().execute(async (trx) => {
    const records = await loadPending(trx, ids);
    // Not indexed for duplicate hints here: the background indexer (hint-indexer.ts) indexes
    // every submission whatever its status, so a published one is still found by later copies.
    const first = await takeCounterValues(trx, 'registration_number', records.length);
    const assigned = records.map((record, i) => ({ id: record.submission.id, registrationNumber: first + i }));
    const salts = newCommitmentSalts(records.length);
    const commitments: Uint8Array[] = [];
    for (const [i, record] of records.entries()) {
      const registrationNumber = first + i;
      commitments.push(commitmentOf(salts[i]!, { submission: { ...record.submission, registration_number: registrationNumber, published_at: now }, declarants: record.declarants }));
      const changed = await updateSubmissionStatus(trx, record.submission.id, ['pending'], {
        status: 'published',
        registration_number: registrationNumber,
        commitment_salt: salts[i]!.toString('base64'),
        published_at: now,
        reviewed_by: member.id,
        updated_at: now,
      });
      if (!changed) throw new ServiceError({ code: 'not_pending' });
      await applyCountMoves(trx, countMoves('published', now.slice(0, 10), countedStatement(record)));
      await appendAudit(trx, { actor: member.id, action: 'submission.approve', target: record.submission.id, details: { registrationNumber } }, now);
    }
    await addToPublicIndexes(
      trx,
      database.dialect,
      records.map((record, i) => ({
        submissionId: record.submission.id,
        registrationNumber: first + i,
        tokens: searchTokens([record.submission.title, record.submission.text, ...record.declarants.map((d) => d.display_name)]),
      })),
    );
    const day = now.slice(0, 10);
    await appendPublicationEvents(trx, records.map((record, i) => publishedEvent({ ...record.submission, declarants: record.declarants }, first + i, day, commitments[i]!)));
    return assigned;
  });
  publicationHeadOf(database).announce();
  return assigned;
}
