import { ServiceError, type FieldError } from '../domain/service-error.js';
import { LIMITS } from '../domain/submission.js';
import { checkText } from '../domain/text-rules.js';
import { appendAudit } from '../storage/audit.repository.js';
import { forgetTextBands } from '../storage/review.repository.js';
import type { Database } from '../storage/database.js';
import { findSubmissionById } from '../storage/submission.repository.js';
import type { StaffMember } from './staff-sessions.js';
import { coarseNow } from './clock.js';

/**
 * A change to a pending statement: a field left out (`undefined`) is kept as it is; `null` or
 * an empty text clears it; a string replaces it. Values are `unknown`: they are checked here.
 */
export interface StatementEdit {
  title?: unknown;
  text?: unknown;
}

/**
 * Edits the title and/or text of a pending statement before publication (for example to redact
 * identifying details). What it said before is kept in `submission_edit` for the audit.
 */
export async function editStatement(database: Database, id: string, input: StatementEdit, member: StaffMember): Promise<void> {
  const changes = readEdit(input);
  const now = coarseNow();
  await database.db.transaction().execute(async (trx) => {
    const record = await findSubmissionById(trx, id);
    if (!record) throw new ServiceError({ code: 'not_found' });
    if (record.submission.status !== 'pending') throw new ServiceError({ code: 'not_pending' });
    await trx.insertInto('submission_edit').values({ submission_id: id, edited_at: now, editor_id: member.id, title_before: record.submission.title, text_before: record.submission.text }).execute();
    // The status condition again: an approval committed since the read above must win.
    const updated = await trx.updateTable('submission').set({ ...changes, updated_at: now }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw new ServiceError({ code: 'not_pending' });
    if (changes.text !== undefined) await forgetTextBands(trx, id);
    await appendAudit(trx, { actor: member.id, action: 'submission.edit', target: id }, now);
  });
}

/** The columns an edit sets, checked by the same rules as a submission; every broken rule at once. */
function readEdit(input: StatementEdit): { title?: string | null; text?: string | null } {
  const errors: FieldError[] = [];
  const read = (value: unknown, field: 'title' | 'text') => {
    if (value === undefined) return undefined;
    if (value === null) return null;
    if (typeof value !== 'string') return errors.push({ code: 'wrong_type', field }), undefined;
    const result = checkText(value, LIMITS[field]);
    if (!result.ok) return errors.push({ code: result.code, field, ...(result.max ? { max: result.max } : {}) }), undefined;
    return result.value === '' ? null : result.value;
  };
  const title = read(input.title, 'title');
  const text = read(input.text, 'text');
  if (errors.length > 0) throw new ServiceError(errors);
  if (title === undefined && text === undefined) throw new ServiceError({ code: 'nothing_to_edit' });
  return { ...(title === undefined ? {} : { title }), ...(text === undefined ? {} : { text }) };
}
