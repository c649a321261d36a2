import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrator.js';

/** `rcenter migrate`: bring the database schema up to date and say what was applied. */
export function migrateCommand(): Command {
  return new Command('migrate').description('Create or upgrade the database schema (serve does this too).').action(async () => {
    const database = openDatabase(loadConfig());
    try {
      const applied = await migrateToLatest(database.db);
      process.stdout.write(applied.length === 0 ? 'rcenter: schema already up to date\n' : `rcenter: applied ${applied.join(', ')}\n`);
    } finally {
      await database.close();
    }
  });
}
