import { ServiceError } from '../domain/service-error.js';
import { canRetract, type Status } from '../domain/statuses.js';
import type { Database } from '../storage/database.js';
import { updateSubmissionStatus } from '../storage/submission.repository.js';
import { coarseNow } from './clock.js';
import { findByReceipt, presentReceiptStatus, type ReceiptStatus } from './receipt-reader.js';

/**
 * Retracts the statement a receipt belongs to (promise 6). Allowed while pending or published;
 * a statement already rejected, marked duplicate or retracted answers `retraction_not_allowed`.
 */
export async function retractStatement(database: Database, receipt: unknown): Promise<ReceiptStatus> {
  const record = await findByReceipt(database, receipt);
  const status = record.submission.status as Status;
  if (!canRetract(status)) throw new ServiceError({ code: 'retraction_not_allowed' });
  const changed = await updateSubmissionStatus(
    database.db,
    record.submission.id,
    ['pending', 'published'],
    'retracted',
    coarseNow(),
  );
  // Someone else (a second tab, an editor) changed it in between.
  if (!changed) throw new ServiceError({ code: 'retraction_not_allowed' });
  return presentReceiptStatus({ ...record, submission: { ...record.submission, status: 'retracted' } });
}
