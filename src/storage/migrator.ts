import { type Kysely, type Migration, Migrator } from 'kysely';
import * as intake from './migrations/2026-11-27-intake.js';
import * as staff from './migrations/2026-11-27-staff.js';
import * as publicSite from './migrations/2026-11-28-public.js';
import * as intakeIndexes from './migrations/2026-11-29-intake-indexes.js';
import * as retention from './migrations/2026-11-29-retention.js';
import * as statementPages from './migrations/2026-11-30-statement-pages.js';
import * as confusableNameKeys from './migrations/2026-12-04-confusable-name-keys.js';
import * as openDataCells from './migrations/2026-12-04-open-data-cells.js';
import * as privacy from './migrations/2026-12-04-privacy.js';
import * as textBandCap from './migrations/2026-12-04-text-band-cap.js';
import * as publicationLog from './migrations/2026-12-05-publication-log.js';
import * as transparencyLog from './migrations/2026-12-05-transparency-log.js';
import * as witnessCosignatures from './migrations/2026-12-05-witness-cosignatures.js';
import * as logEntryBundles from './migrations/2026-12-06-log-entry-bundles.js';

/** Every migration, by name; names sort in the order they must run. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-27-intake': intake,
  '2026-11-27-staff': staff,
  // Named for the day after: names must sort in order, and "public" sorts before "staff".
  '2026-11-28-public': publicSite,
  '2026-11-29-intake-indexes': intakeIndexes,
  '2026-11-29-retention': retention,
  '2026-11-30-statement-pages': statementPages,
  '2026-12-04-confusable-name-keys': confusableNameKeys,
  '2026-12-04-open-data-cells': openDataCells,
  '2026-12-04-privacy': privacy,
  '2026-12-04-text-band-cap': textBandCap,
  '2026-12-05-publication-log': publicationLog,
  '2026-12-05-transparency-log': transparencyLog,
  '2026-12-05-witness-cosignatures': witnessCosignatures,
  '2026-12-06-log-entry-bundles': logEntryBundles,
};

/** Brings the schema up to date. Returns the names applied now; throws on the first failure. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
