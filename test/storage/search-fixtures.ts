import { approveSubmissions } from '../../src/commands/publication/submission-approver.js';
import { buildSubmissionRecord } from '../../src/commands/submission-record.js';
import type { SubmissionDraft } from '../../src/domain/submission.js';
import type { Database } from '../../src/storage/database.js';
import type { TestStaff } from '../staff/staff-fixtures.js';

/** A statement as a test writes it: the text, and optionally a title and declarants' names. */
export interface StatementSpec {
  text?: string | null;
  title?: string | null;
  names?: string[];
}

/**
 * Stores a pending statement with plain inserts (not the intake path, so these suites depend on
 * nothing but the tables); returns its id and receipt.
 */
export async function addPending(database: Database, spec: StatementSpec): Promise<{ id: string; receipt: string }> {
  const draft: SubmissionDraft = {
    language: 'zh-hans',
    title: spec.title ?? null,
    text: spec.text ?? null,
    contact: null,
    declarants: (spec.names ?? ['测试者']).map((displayName) => ({
      displayName,
      nameKind: 'pseudonym',
      organizations: ['party'],
      region: '440000',
      occupation: null,
    })),
  };
  const { record, receipt } = await buildSubmissionRecord(draft, { channel: 'web', proofOfWork: true, ageRecipients: [] });
  await database.db.transaction().execute(async (trx) => {
    await trx.insertInto('submission').values(record.submission).execute();
    await trx.insertInto('declarant').values(record.declarants).execute();
  });
  return { id: record.submission.id, receipt };
}

/** Stores and approves a statement; returns its id, receipt and registration number. */
export async function addPublished(database: Database, editor: TestStaff, spec: StatementSpec) {
  const { id, receipt } = await addPending(database, spec);
  const [published] = await approveSubmissions(database, [id], editor.member);
  return { id, receipt, registrationNumber: published!.registrationNumber };
}
