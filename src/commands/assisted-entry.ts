import { ASSISTED_CHANNELS, type Channel } from '../domain/channels.js';
import { ServiceError, type FieldError } from '../domain/service-error.js';
import { validateSubmission, type SubmissionDraft } from '../domain/submission.js';
import type { Transaction } from 'kysely';
import { appendAudit } from '../storage/audit.repository.js';
import type { Schema } from '../storage/schema.js';
import type { Database } from '../storage/database.js';
import { insertSubmissions, type SubmissionRecord } from '../storage/submission.repository.js';
import type { StaffMember } from './staff-sessions.js';
import { buildSubmissionRecord } from './submission-record.js';

/** Checks the two things assisted entry adds to a submission: the channel and the recorded consent. */
export function checkAssisted(channel: unknown, consent: unknown, errors: FieldError[]): Channel {
  if (channel === undefined || channel === '') errors.push({ code: 'required', field: 'channel' });
  else if (!(ASSISTED_CHANNELS as readonly unknown[]).includes(channel)) errors.push({ code: 'not_in_list', field: 'channel' });
  if (consent !== true && consent !== 'on' && consent !== 'true' && consent !== 'yes') errors.push({ code: 'consent_required', field: 'consent' });
  return channel as Channel;
}

export interface AssistedOptions {
  channel: Channel;
  member: StaffMember;
  ageRecipients: readonly string[];
  source: 'form' | 'api' | 'import';
}

/** The rows of one assisted entry: pending, with its channel, the consent and the volunteer. */
export function buildAssistedRecord(draft: SubmissionDraft, options: Pick<AssistedOptions, 'channel' | 'member' | 'ageRecipients'>) {
  return buildSubmissionRecord(draft, {
    channel: options.channel,
    proofOfWork: false,
    consent: true,
    enteredBy: options.member.id,
    ageRecipients: options.ageRecipients,
  });
}

/** Writes assisted entries (each with its own channel) with an audit entry each, inside the caller's transaction. */
export async function writeAssistedRecords(
  trx: Transaction<Schema>,
  records: SubmissionRecord[],
  options: Pick<AssistedOptions, 'member' | 'source'>,
  onProgress?: (done: number) => void,
): Promise<void> {
  const CHUNK = 500;
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK);
    // Imported statements are told apart from typed-in ones (the publication log's channel kind).
    await insertSubmissions(trx, options.source === 'import' ? chunk.map((r) => ({ ...r, submission: { ...r.submission, imported: 1 } })) : chunk);
    for (const r of chunk) {
      await appendAudit(trx, {
        actor: options.member.id,
        action: 'submission.assisted',
        target: r.submission.id,
        details: { channel: r.submission.channel, people: r.declarants.length, source: options.source },
      });
    }
    onProgress?.(Math.min(i + CHUNK, records.length));
  }
}

/**
 * Records withdrawals a volunteer took down: each draft becomes one pending submission. All are
 * validated before, and written in one transaction. Receipts are returned once, to pass on.
 */
export async function recordAssistedEntries(
  database: Database,
  drafts: SubmissionDraft[],
  options: AssistedOptions,
): Promise<{ id: string; receipt: string }[]> {
  const built = await Promise.all(drafts.map((draft) => buildAssistedRecord(draft, options)));
  await database.db.transaction().execute((trx) => writeAssistedRecords(trx, built.map((b) => b.record), options));
  return built.map((b) => ({ id: b.record.submission.id, receipt: b.receipt }));
}

/** The JSON API's assisted entry: the public submission shape plus `channel` and `consent: true`. */
export async function recordAssistedSubmission(
  database: Database,
  body: unknown,
  member: StaffMember,
  ageRecipients: readonly string[],
): Promise<{ id: string; receipt: string; status: 'pending' }> {
  const { channel, consent, ...rest } = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const errors: FieldError[] = [];
  const checkedChannel = checkAssisted(channel, consent, errors);
  const validation = validateSubmission(rest, ageRecipients.length > 0);
  if (!validation.ok) errors.push(...validation.errors);
  if (errors.length > 0 || !validation.ok) throw new ServiceError(errors);
  const [created] = await recordAssistedEntries(database, [validation.value], { channel: checkedChannel, member, ageRecipients, source: 'api' });
  return { id: created!.id, receipt: created!.receipt, status: 'pending' };
}
