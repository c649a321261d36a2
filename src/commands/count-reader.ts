import { countingDays, summarizeCount, type PublicCount } from '../domain/public-count.js';
import type { Database } from '../storage/database.js';
import { lastPublicationChange } from '../storage/publication.repository.js';
import { netPersonsBy, personMovesSince } from '../storage/public-count.repository.js';

/** The public count at `now`: total, today, yesterday, this week, this month, by organisation. */
export async function readPublicCount(database: Database, now = new Date()): Promise<PublicCount> {
  const { db } = database;
  const [total, byOrganization, days, lastUpdate] = await Promise.all([
    netPersonsBy(db, 'total'),
    netPersonsBy(db, 'organization'),
    personMovesSince(db, countingDays(now).earliest),
    lastPublicationChange(db),
  ]);
  return summarizeCount(now, total.get('') ?? 0, days, byOrganization, lastUpdate);
}
