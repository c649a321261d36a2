import { randomUUID } from 'node:crypto';
import { generateReceipt, hashReceipt, parseReceipt } from '../domain/receipt.js';
import type { SubmissionDraft } from '../domain/submission.js';
import { sealContact } from '../crypto/contact-sealer.js';
import type { GroupCommit } from '../storage/group-commit.js';
import type { SubmissionRecord } from '../storage/submission.repository.js';
import { coarseNow } from './clock.js';

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
 * Stores a validated statement as pending and answers once it is on disk.
 * A statement without a solved proof-of-work is flagged for closer review.
 */
export async function createSubmission(
  deps: SubmissionCreatorDeps,
  draft: SubmissionDraft,
  options: { proofOfWork: boolean; channel?: string },
): Promise<CreatedSubmission> {
  const receipt = generateReceipt();
  const id = randomUUID();
  const now = coarseNow();
  const contactCiphertext = draft.contact === null ? null : await sealContact(draft.contact, deps.ageRecipients);
  const record: SubmissionRecord = {
    submission: {
      id,
      receipt_hash: hashReceipt(parseReceipt(receipt)!),
      language: draft.language,
      title: draft.title,
      text: draft.text,
      contact_ciphertext: contactCiphertext,
      status: 'pending',
      channel: options.channel ?? 'web',
      proof_of_work: options.proofOfWork ? 1 : 0,
      flagged: options.proofOfWork ? 0 : 1,
      received_at: now,
      updated_at: now,
    },
    declarants: draft.declarants.map((d, position) => ({
      submission_id: id,
      position,
      display_name: d.displayName,
      name_kind: d.nameKind,
      party: d.organizations.includes('party') ? 1 : 0,
      youth_league: d.organizations.includes('youth_league') ? 1 : 0,
      young_pioneers: d.organizations.includes('young_pioneers') ? 1 : 0,
      region: d.region,
      occupation: d.occupation,
    })),
  };
  await deps.writer.submit(record);
  return { id, receipt, status: 'pending' };
}
