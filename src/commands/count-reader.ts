import { countingDays, summarizeCount, type PublicCount } from '../domain/public-count.js';
import type { Database } from '../storage/database.js';
import { lastPublicationChange } from '../storage/publication/published-reading.repository.js';
import { liveFigures } from './ended-days.js';

/** The public count at `now`: total, today, yesterday, this week, this month, by organisation. */
export async function readPublicCount(database: Database, now = new Date()): Promise<PublicCount> {
  const { db } = database;
  const [live, lastUpdate] = await Promise.all([liveFigures(database, now.toISOString().slice(0, 10), now.getTime()), lastPublicationChange(db)]);
  const earliest = countingDays(now).earliest;
  const days = live.moves.filter((m) => m.day >= earliest);
  return summarizeCount(now, live.net('total').get('') ?? 0, days, live.net('organization'), lastUpdate);
}
