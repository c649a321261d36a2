import { countingDays, summarizeCount, type PublicCount } from '../domain/public-count.js';
import type { Database } from '../storage/database.js';
import { lastPublicationChange } from '../storage/publication.repository.js';
import { personMovesSince } from '../storage/public-count.repository.js';
import { netPersonsNow } from './ended-days.js';

/** The public count at `now`: total, today, yesterday, this week, this month, by organisation. */
export async function readPublicCount(database: Database, now = new Date()): Promise<PublicCount> {
  const { db } = database;
  const today = now.toISOString().slice(0, 10);
  const [total, byOrganization, days, lastUpdate] = await Promise.all([
    netPersonsNow(database, 'total', today),
    netPersonsNow(database, 'organization', today),
    personMovesSince(db, countingDays(now).earliest),
    lastPublicationChange(db),
  ]);
  return summarizeCount(now, total.get('') ?? 0, days, byOrganization, lastUpdate);
}
