import type { FastifyInstance } from 'fastify';
import { startHintIndexer, type HintIndexerJob, type HintIndexerSchedule } from './commands/hint-indexer-job.js';
import { startRetentionJob, type RetentionSchedule } from './commands/retention-job.js';
import type { LogKey } from './commands/log/log-identity.js';
import { cosignatureLines } from './commands/witness-collector.js';
import { startWitnessJob, type WitnessJob, type WitnessJobSchedule } from './commands/witness-job.js';
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
  /** With WITNESSES: the job that asks them to cosign each new checkpoint (witness-job.ts). */
  witnesses: WitnessJob | undefined;
  close(): Promise<void>;
}

/**
 * config → database (migrated) → app → listen, with the retention job, the duplicate-hint
 * indexer and the transparency log's sequencer running beside it (the log signs with `logKey`;
 * without one, with an ephemeral key). Closing stops them (the sequencer with the app), drains requests, then closes the database.
 */
export async function startServer(
  config: Config,
  options: { retention?: RetentionSchedule; hintIndexer?: HintIndexerSchedule; logKey?: LogKey; witnesses?: WitnessJobSchedule } = {},
): Promise<RunningServer> {
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db);
    const witnessed = config.witnesses.length > 0;
    const app = await buildApp(config, database, {
      ...(options.logKey ? { logKey: options.logKey } : {}),
      // The checkpoint is served with the cosignatures the witnesses gave it (witness-collector.ts).
      ...(witnessed ? { logCosignatures: (note: string, size: number) => cosignatureLines(database, note, size) } : {}),
    });
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
    const witnesses = witnessed
      ? startWitnessJob(
          database,
          config.witnesses,
          {
            outcome: ({ url, outcome, detail }) => {
              if (outcome === 'cosigned' || outcome === 'already cosigned') return;
              if (outcome === 'ahead of the log') {
                app.log.error({ witness: url, detail }, 'witness: it has cosigned a larger log than this one — the log was rolled back (an older backup restored?); see README "Backup and restore"');
              } else if (outcome === 'forked') {
                app.log.error({ witness: url, detail }, 'witness: the log it cosigned has another history than this one — this database is not the log it saw; see README "Backup and restore"');
              } else app.log.warn({ witness: url, outcome, detail }, 'witness: no cosignature this time; asked again later');
            },
            failed: (error) => app.log.error({ err: error }, 'witnesses: round failed; tried again shortly'),
          },
          options.witnesses,
        )
      : undefined;
    return {
      app,
      database,
      address,
      hintIndexer,
      witnesses,
      close: async () => {
        await witnesses?.stop();
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
