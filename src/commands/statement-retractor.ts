import { countMoves } from '../domain/count-moves.js';
import { ServiceError } from '../domain/service-error.js';
import { canRetract, type Status } from '../domain/statuses.js';
import { appendAudit } from '../storage/audit.repository.js';
import { applyCountMoves } from '../storage/count.repository.js';
import type { Database } from '../storage/database.js';
import { countedStatement, updateSubmissionStatus } from '../storage/submission.repository.js';
import { coarseNow } from './clock.js';
import { findByReceipt, presentReceiptStatus, type ReceiptStatus } from './receipt-reader.js';

/**
 * Retracts the statement a receipt belongs to (promise 6). Allowed while pending or published;
 * a published statement's persons leave the headline count, visibly, as `persons_retracted`.
 * The change, the counts and the audit entry commit together.
 */
export async function retractStatement(database: Database, receipt: unknown): Promise<ReceiptStatus> {
  const record = await findByReceipt(database, receipt);
  const status = record.submission.status as Status;
  if (!canRetract(status)) throw new ServiceError({ code: 'retraction_not_allowed' });
  const now = coarseNow();
  await database.db.transaction().execute(async (trx) => {
    const changed = await updateSubmissionStatus(trx, record.submission.id, [status], { status: 'retracted', updated_at: now });
    // Someone else (a second tab, an editor) changed it in between.
    if (!changed) throw new ServiceError({ code: 'retraction_not_allowed' });
    await applyCountMoves(trx, countMoves('retracted', now.slice(0, 10), countedStatement(record, { wasPublished: status === 'published' })));
    await appendAudit(trx, { actor: 'declarant', action: 'statement.retract', target: record.submission.id }, now);
  });
  return presentReceiptStatus({ ...record, submission: { ...record.submission, status: 'retracted' } });
}
