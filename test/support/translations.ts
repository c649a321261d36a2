import { translatedEvent } from '../../src/domain/publication-event.js';
import type { Database } from '../../src/storage/database.js';
import { appendPublicationEvents } from '../../src/storage/publication/publication-log.repository.js';
import type { Schema, StatementTranslationTable } from '../../src/storage/schema.js';
import type { Transaction } from 'kysely';

/**
 * Saves a translator's version as the translation command will (none exists yet): the row and,
 * when the statement is published, its `translated` event, in one transaction. `change` runs the
 * write (insert, update or delete of `statement_translation`) in that transaction.
 */
export async function changeTranslation(
  database: Database,
  submissionId: string,
  locale: string,
  change: (trx: Transaction<Schema>) => Promise<unknown>,
): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await change(trx);
    const statement = await trx.selectFrom('submission').select(['status', 'registration_number']).where('id', '=', submissionId).executeTakeFirstOrThrow();
    if (statement.status === 'published' && statement.registration_number !== null) {
      await appendPublicationEvents(trx, [translatedEvent(locale, Number(statement.registration_number), new Date().toISOString().slice(0, 10))]);
    }
  });
}

/** Inserts a translation with its event. */
export function addTranslation(database: Database, row: StatementTranslationTable): Promise<void> {
  return changeTranslation(database, row.submission_id, row.locale, (trx) => trx.insertInto('statement_translation').values(row).execute());
}
