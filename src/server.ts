import type { FastifyInstance } from 'fastify';
import { startHintIndexer, type HintIndexerJob, type HintIndexerSchedule } from './commands/hint-indexer-job.js';
import { startRetentionJob, type RetentionSchedule } from './commands/retention-job.js';
import type { LogKey } from './commands/log/log-identity.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './storage/database.js';
import { migrateToLatest } from './storage/migrator.js';
import { buildApp } from './web/app.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  address: string;
  /** The duplicate-hint indexer running beside the server (hint-indexer-job.ts). */
  hintIndexer: HintIndexerJob;
  close(): Promise<void>;
}

/**
 * config → database (migrated) → app → listen, with the retention job, the duplicate-hint
 * indexer and the transparency log's sequencer running beside it (the log signs with `logKey`;
 * without one, with an ephemeral key). Closing stops them (the sequencer with the app), drains requests, then closes the database.
 */
export async function startServer(
  config: Config,
  options: { retention?: RetentionSchedule; hintIndexer?: HintIndexerSchedule; logKey?: LogKey } = {},
): Promise<RunningServer> {
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db);
    const app = await buildApp(config, database, { ...(options.logKey ? { logKey: options.logKey } : {}) });
    const address = await app.listen({ host: config.host, port: config.port });
    // The transparency log follows the publication log from now on (docs/log.md, "Checkpoints").
    app.logSequencer.start();
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
    const hintIndexer = startHintIndexer(
      database,
      { failed: (error) => app.log.error({ err: error }, 'duplicate hints: indexing failed; tried again shortly') },
      options.hintIndexer,
    );
    return {
      app,
      database,
      address,
      hintIndexer,
      close: async () => {
        await hintIndexer.stop();
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
