import type { Transaction } from 'kysely';
import { isRecordId } from '../domain/record-id.js';
import { ServiceError } from '../domain/service-error.js';
import type { Schema } from '../storage/schema.js';
import { findSubmissionById, type SubmissionRecord } from '../storage/submission.repository.js';

/** Loads submissions for a review action and checks each is still pending; all or none proceed. */
export async function loadPending(trx: Transaction<Schema>, ids: readonly string[]): Promise<SubmissionRecord[]> {
  if (ids.length === 0 || new Set(ids).size !== ids.length) throw new ServiceError({ code: 'wrong_type', field: 'ids' });
  const records: SubmissionRecord[] = [];
  for (const id of ids) {
    const record = isRecordId(id) ? await findSubmissionById(trx, id) : undefined;
    if (!record) throw new ServiceError({ code: 'not_found' });
    if (record.submission.status !== 'pending') throw new ServiceError({ code: 'not_pending' });
    records.push(record);
  }
  return records;
}
