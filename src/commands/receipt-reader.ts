import { hashReceipt, parseReceipt } from '../domain/receipt.js';
import { ServiceError } from '../domain/service-error.js';
import type { Status } from '../domain/statuses.js';
import type { Database } from '../storage/database.js';
import { findSubmissionByReceiptHash, type SubmissionRecord } from '../storage/submission.repository.js';

/** What a receipt holder may see of their own statement. */
export interface ReceiptStatus {
  status: Status;
  /** The day it was received, UTC, `YYYY-MM-DD`. */
  receivedOn: string;
  declarants: { displayName: string }[];
  /** Assigned when an editor publishes the statement. */
  registrationNumbers: string[];
  /** Messages from editors; none yet in this version. */
  messages: { sentOn: string; text: string }[];
}

/** Finds the submission a receipt belongs to, or throws `receipt_malformed` / `receipt_not_found`. */
export async function findByReceipt(database: Database, receipt: unknown): Promise<SubmissionRecord> {
  const canonical = parseReceipt(receipt);
  if (canonical === null) {
    throw new ServiceError({ code: receipt === undefined || receipt === '' ? 'required' : 'receipt_malformed', field: 'receipt' });
  }
  const record = await findSubmissionByReceiptHash(database.db, hashReceipt(canonical));
  if (!record) throw new ServiceError({ code: 'receipt_not_found', field: 'receipt' });
  return record;
}

/** The status of the statement a receipt belongs to. */
export async function readReceipt(database: Database, receipt: unknown): Promise<ReceiptStatus> {
  return presentReceiptStatus(await findByReceipt(database, receipt));
}

/** Lists exactly the fields a receipt holder is shown; nothing else of the row leaves. */
export function presentReceiptStatus({ submission, declarants }: SubmissionRecord): ReceiptStatus {
  return {
    status: submission.status as Status,
    receivedOn: submission.received_at.slice(0, 10),
    declarants: declarants.map((d) => ({ displayName: d.display_name })),
    registrationNumbers: submission.registration_number === null ? [] : [String(submission.registration_number)],
    messages: [],
  };
}
