import { randomUUID } from 'node:crypto';
import type { Channel } from '../domain/channels.js';
import { generateReceipt, hashReceipt, parseReceipt } from '../domain/receipt.js';
import type { Declarant, SubmissionDraft } from '../domain/submission.js';
import { sealContact } from '../crypto/contact-sealer.js';
import type { DeclarantTable } from '../storage/schema.js';
import type { SubmissionRecord } from '../storage/submission.repository.js';
import { coarseNow } from './clock.js';

export interface RecordOptions {
  channel: Channel;
  proofOfWork: boolean;
  /** The volunteer who recorded it, with the person's recorded consent. */
  enteredBy?: string | null;
  consent?: boolean;
  ageRecipients: readonly string[];
}

/**
 * Turns a validated draft into the rows to store, with a fresh receipt (returned, never stored)
 * and the contact details sealed. Self-submitted statements without proof-of-work are flagged.
 */
export async function buildSubmissionRecord(
  draft: SubmissionDraft,
  options: RecordOptions,
): Promise<{ record: SubmissionRecord; receipt: string }> {
  const receipt = generateReceipt();
  const id = randomUUID();
  const now = coarseNow();
  const contact = draft.contact === null ? null : await sealContact(draft.contact, options.ageRecipients);
  const record: SubmissionRecord = {
    submission: {
      id,
      receipt_hash: hashReceipt(parseReceipt(receipt)!),
      language: draft.language,
      title: draft.title,
      text: draft.text,
      contact_ciphertext: contact,
      status: 'pending',
      channel: options.channel,
      proof_of_work: options.proofOfWork ? 1 : 0,
      flagged: options.channel === 'web' && !options.proofOfWork ? 1 : 0,
      received_at: now,
      updated_at: now,
      registration_number: null,
      published_at: null,
      reviewed_by: null,
      reject_reason: null,
      duplicate_of: null,
      featured: 0,
      consent: options.consent ? 1 : 0,
      entered_by: options.enteredBy ?? null,
      text_indexed: 0,
    },
    declarants: declarantRows(id, draft.declarants),
  };
  return { record, receipt };
}

/**
 * The `declarant` rows of a statement's people, in order. `name_key` is filled by the background
 * indexer (hint-indexer.ts), keeping its index off intake; `published_number`
 * only for rows written already published (`rcenter demo`).
 */
export function declarantRows(submissionId: string, people: readonly Declarant[], publishedNumber: number | null = null): DeclarantTable[] {
  return people.map((d, position) => ({
    submission_id: submissionId,
    position,
    display_name: d.displayName,
    name_kind: d.nameKind,
    party: d.organizations.includes('party') ? 1 : 0,
    youth_league: d.organizations.includes('youth_league') ? 1 : 0,
    young_pioneers: d.organizations.includes('young_pioneers') ? 1 : 0,
    region: d.region,
    occupation: d.occupation,
    name_key: null,
    published_number: publishedNumber,
  }));
}
