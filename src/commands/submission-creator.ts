import type { SubmissionDraft } from '../domain/submission.js';
import type { GroupCommit } from '../storage/group-commit.js';
import type { SubmissionRecord } from '../storage/submission.repository.js';
import { buildSubmissionRecord } from './submission-record.js';

export interface SubmissionCreatorDeps {
  ageRecipients: readonly string[];
  writer: GroupCommit<SubmissionRecord>;
}

export interface CreatedSubmission {
  id: string;
  /** Shown to the declarant once; only its hash is stored. */
  receipt: string;
  status: 'pending';
}

/**
 * Stores a self-submitted statement as pending and answers once it is on disk (group commit).
 * A statement without a solved proof-of-work is flagged for closer review.
 */
export async function createSubmission(
  deps: SubmissionCreatorDeps,
  draft: SubmissionDraft,
  options: { proofOfWork: boolean },
): Promise<CreatedSubmission> {
  const { record, receipt } = await buildSubmissionRecord(draft, {
    channel: 'web',
    proofOfWork: options.proofOfWork,
    ageRecipients: deps.ageRecipients,
  });
  await deps.writer.submit(record);
  return { id: record.submission.id, receipt, status: 'pending' };
}
