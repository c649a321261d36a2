import { countMoves } from '../../domain/count-moves.js';
import { retractedEvent } from '../../domain/publication-event.js';
import { ServiceError } from '../../domain/service-error.js';
import { canRetract, type Status } from '../../domain/statuses.js';
import { appendAudit } from '../../storage/audit.repository.js';
import { applyCountMoves } from '../../storage/count.repository.js';
import type { Database } from '../../storage/database.js';
import { appendPublicationEvents } from '../../storage/publication/publication-log.repository.js';
import { removeFromPublicIndexes } from '../../storage/publication/public-indexes.repository.js';
import { countedStatement, findSubmissionById, updateSubmissionStatus } from '../../storage/submission.repository.js';
import { coarseNow } from '../clock.js';
import { publicationHeadOf } from './publication-head.js';
import { findByReceipt, presentReceiptStatus, type ReceiptStatus } from '../receipt-reader.js';

/**
 * Retracts the statement a receipt belongs to (promise 6). Allowed while pending or published;
 * a published statement's persons leave the headline count, visibly, as `persons_retracted`, and
 * the statement leaves the category and search indexes, its commitment salt is erased, and the
 * publication log gets a `retracted` event. The change, the counts, the indexes, the event and the audit entry commit
 * together. (A pending statement was never public: no event.)
 */
export async function retractStatement(database: Database, receipt: unknown): Promise<ReceiptStatus> {
  const found = await findByReceipt(database, receipt);
  if (!canRetract(found.submission.status as Status)) throw new ServiceError({ code: 'retraction_not_allowed' });
  const now = coarseNow();
  const record = await database.db.transaction().execute(async (trx) => {
    // Read again inside the transaction, and again if an editor published it in between
    // (PostgreSQL's read committed sees the approval once it commits): a declarant who asks to
    // retract a statement that can still be retracted is never told no.
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await findSubmissionById(trx, found.submission.id);
      const status = current?.submission.status as Status | undefined;
      if (!current || !status || !canRetract(status)) throw new ServiceError({ code: 'retraction_not_allowed' });
      // The commitment salt goes with the retraction (docs/log.md): the log keeps the commitment,
      // and without the salt nobody can confirm a guess of what the statement said.
      if (!(await updateSubmissionStatus(trx, current.submission.id, [status], { status: 'retracted', commitment_salt: null, updated_at: now }))) continue;
      const wasPublished = status === 'published';
      if (wasPublished) {
        const registrationNumber = Number(current.submission.registration_number);
        await removeFromPublicIndexes(trx, database.dialect, [{ submissionId: current.submission.id, registrationNumber }]);
      }
      await applyCountMoves(trx, countMoves('retracted', now.slice(0, 10), countedStatement(current, { wasPublished })));
      await appendAudit(trx, { actor: 'declarant', action: 'statement.retract', target: current.submission.id, details: { from: status } }, now);
      // Last: the log's head is the last lock every publishing transaction takes.
      if (wasPublished) {
        await appendPublicationEvents(trx, [retractedEvent({ ...current.submission, declarants: current.declarants }, Number(current.submission.registration_number), now.slice(0, 10))]);
      }
      return current;
    }
    throw new ServiceError({ code: 'unavailable' }, { retryAfterSeconds: 1 });
  });
  publicationHeadOf(database).announce();
  return presentReceiptStatus({ ...record, submission: { ...record.submission, status: 'retracted' } });
}
