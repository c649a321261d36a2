import { featuringEvent } from '../../domain/publication-event.js';
import { isRecordId } from '../../domain/record-id.js';
import { ServiceError } from '../../domain/service-error.js';
import { appendAudit } from '../../storage/audit.repository.js';
import type { Database } from '../../storage/database.js';
import { appendPublicationEvents } from '../../storage/publication/publication-log.repository.js';
import { findSubmissionById } from '../../storage/submission.repository.js';
import type { StaffMember } from '../staff-sessions.js';
import { coarseNow } from '../clock.js';
import { publicationHeadOf } from './publication-head.js';

/**
 * Features a statement as an article on the public site, or stops featuring it. A pending one may
 * be marked ahead of its publication (its `published` event says it is featured). A published
 * one that changes gets a `featured` or `unfeatured` event in the same transaction; asking for
 * what already is changes nothing the public sees, and appends nothing.
 */
export async function featureStatement(database: Database, id: string, featured: boolean, member: StaffMember): Promise<void> {
  if (!isRecordId(id)) throw new ServiceError({ code: 'not_found' });
  const now = coarseNow();
  await database.db.transaction().execute(async (trx) => {
    // Only a row that changes, and its status as it is once locked (an approval that commits
    // meanwhile is seen): whether the public sees the change is decided on the current row.
    const changed = await trx
      .updateTable('submission')
      .set({ featured: featured ? 1 : 0 })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'published'])
      .where('featured', '=', featured ? 0 : 1)
      .returning(['status', 'registration_number'])
      .executeTakeFirst();
    if (!changed) {
      const record = await findSubmissionById(trx, id);
      if (!record || !['pending', 'published'].includes(record.submission.status)) throw new ServiceError({ code: 'not_found' });
    }
    await appendAudit(trx, { actor: member.id, action: featured ? 'submission.feature' : 'submission.unfeature', target: id });
    // Last: the log's head is the last lock every publishing transaction takes.
    if (changed?.status === 'published' && changed.registration_number !== null) {
      await appendPublicationEvents(trx, [featuringEvent(featured, Number(changed.registration_number), now.slice(0, 10))]);
    }
  });
  publicationHeadOf(database).announce();
}
