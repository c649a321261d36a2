// What the staff commands (user, token, import, audit) share: an open, migrated database; errors
// that become messages on stderr and exit code 1; a progress bar on stderr; a plain text table.
import { loadConfig } from '../config.js';
import { errorMessage, ServiceError } from '../domain/service-error.js';
import { openDatabase, type Database } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrator.js';
import { CliError } from './cli-output.js';

// Output helpers live in cli-output.ts (no database, no app: `rcenter verify` loads only those).
export { CliError, displayWidth, formatTable, printable, Progress } from './cli-output.js';

/** Who CLI actions are recorded as in the audit log. */
export const CLI_ACTOR = 'cli';

/** The messages of a ServiceError (every one, in English), or rethrows anything else. */
export function serviceErrorLines(error: unknown, overrides: Partial<Record<string, string>> = {}): never {
  if (error instanceof ServiceError) {
    throw new CliError(error.errors.map((e) => overrides[`${e.code}:${e.field ?? ''}`] ?? overrides[e.code] ?? errorMessage(e, 'en')));
  }
  throw error;
}

/**
 * Opens the database of the configuration (DATA_DIR or DATABASE_URL), brings its schema up to
 * date so that the command works on a fresh install, runs `work`, and closes it whatever happens.
 */
export async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = openDatabase({ ...loadConfig(), poolSize: 2 });
  try {
    await migrateToLatest(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}
