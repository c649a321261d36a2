import { countMoves } from '../domain/count-moves.js';
import { isRejectReason } from '../domain/reject-reasons.js';
import { isRecordId } from '../domain/record-id.js';
import { ServiceError } from '../domain/service-error.js';
import { appendAudit } from '../storage/audit.repository.js';
import { applyCountMoves } from '../storage/count.repository.js';
import type { Database } from '../storage/database.js';
import { countedStatement, findSubmissionById, updateSubmissionStatus } from '../storage/submission.repository.js';
import { loadPending } from './review-context.js';
import type { StaffMember } from './staff-sessions.js';
import { coarseNow } from './clock.js';

/** Rejects pending submissions with a reason from the fixed list; all or none. */
export async function rejectSubmissions(database: Database, ids: readonly string[], reason: unknown, member: StaffMember): Promise<void> {
  if (!isRejectReason(reason)) throw new ServiceError({ code: reason === undefined || reason === '' ? 'required' : 'not_in_list', field: 'reason' });
  const now = coarseNow();
  await database.db.transaction().execute(async (trx) => {
    for (const record of await loadPending(trx, ids)) {
      const changed = await updateSubmissionStatus(trx, record.submission.id, ['pending'], {
        status: 'rejected',
        reject_reason: reason,
        reviewed_by: member.id,
        updated_at: now,
      });
      if (!changed) throw new ServiceError({ code: 'not_pending' });
      await applyCountMoves(trx, countMoves('rejected', now.slice(0, 10), countedStatement(record, { reason })));
      await appendAudit(trx, { actor: member.id, action: 'submission.reject', target: record.submission.id, reason }, now);
    }
  });
}

/** Marks a pending submission as a duplicate of another one (which stays as it is). */
export async function markDuplicate(database: Database, id: string, of: unknown, member: StaffMember): Promise<void> {
  if (typeof of !== 'string' || of === '') throw new ServiceError({ code: 'required', field: 'of' });
  if (of === id) throw new ServiceError({ code: 'not_in_list', field: 'of' });
  if (!isRecordId(of)) throw new ServiceError({ code: 'not_found', field: 'of' });
  const now = coarseNow();
  await database.db.transaction().execute(async (trx) => {
    if (!(await findSubmissionById(trx, of))) throw new ServiceError({ code: 'not_found', field: 'of' });
    const [record] = await loadPending(trx, [id]);
    const changed = await updateSubmissionStatus(trx, id, ['pending'], { status: 'duplicate', duplicate_of: of, reviewed_by: member.id, updated_at: now });
    if (!changed || !record) throw new ServiceError({ code: 'not_pending' });
    await applyCountMoves(trx, countMoves('duplicate', now.slice(0, 10), countedStatement(record)));
    await appendAudit(trx, { actor: member.id, action: 'submission.duplicate', target: id, details: { of } }, now);
  });
}
