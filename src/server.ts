import type { FastifyInstance } from 'fastify';
import { startRetentionJob, type RetentionSchedule } from './commands/retention-job.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './storage/database.js';
import { migrateToLatest } from './storage/migrator.js';
import { buildApp } from './web/app.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  address: string;
  close(): Promise<void>;
}

/**
 * config → database (migrated) → app → listen, with the retention job running beside it.
 * Closing stops the job, drains requests, then closes the database.
 */
export async function startServer(config: Config, options: { retention?: RetentionSchedule } = {}): Promise<RunningServer> {
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db);
    const app = await buildApp(config, database);
    const address = await app.listen({ host: config.host, port: config.port });
    const retention = startRetentionJob(
      database,
      config.retention,
      {
        // Counts only: the job never logs what it deleted.
        done: (r) => {
          if (r.submissions + r.contacts + r.retracted + r.edits > 0) {
            app.log.info({ submissions: r.submissions, persons: r.persons, contacts: r.contacts, retracted: r.retracted, edits: r.edits }, 'retention: purged expired data');
          }
        },
        failed: (error) => app.log.error({ err: error }, 'retention: run failed; retried at the next tick'),
      },
      options.retention,
    );
    return {
      app,
      database,
      address,
      close: async () => {
        await retention.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
