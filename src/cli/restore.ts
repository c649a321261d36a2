import { Command } from 'commander';
import { restoreBackup } from '../commands/backup-restorer.js';
import { loadConfig } from '../config.js';
import { asCliError, stderrProgress } from './backup.js';
import { CliError } from './cli-support.js';
import { collectCosignatures } from '../commands/witness-collector.js';
import { openDatabase } from '../storage/database.js';
import { readLatestCheckpoint, readStoredHashes } from '../storage/log/transparency-log.repository.js';
import type { Config } from '../config.js';

/** `rcenter restore FILE`: a backup into an empty data directory or database, verified. */
export function restoreCommand(): Command {
  return new Command('restore')
    .description(
      'Restore a backup from `rcenter backup` into an EMPTY data directory (DATA_DIR, SQLite) or an EMPTY PostgreSQL database ' +
        '(DATABASE_URL, with pg_restore), apply pending migrations, then verify it: recount and audit verify. Refuses a target that holds a database. ' +
        'Exit code 0 only when the restored database verifies.',
    )
    .argument('<file>', 'the backup to restore')
    .action(async (file: string) => {
      const config = loadConfig();
      const progress = stderrProgress('copying');
      let result;
      try {
        result = await restoreBackup(config, file, progress);
      } catch (error) {
        asCliError(error);
      } finally {
        progress.finish();
      }
      const where = result.dialect === 'sqlite' ? config.dataDir : 'the database of DATABASE_URL';
      const rows = Object.entries(result.rows).map(([table, n]) => `${table} ${n}`).join(', ');
      process.stdout.write(`rcenter: restored into ${where} (rows: ${rows})\n`);
      if (result.migrations.length > 0) process.stdout.write(`rcenter: applied ${result.migrations.join(', ')}\n`);
      const problems: string[] = [];
      if (result.differences.length > 0) problems.push(`${result.differences.length} count cells differ from the recount of ${result.statements} statements (see \`rcenter recount\`)`);
      if (!result.audit.ok) problems.push(`audit log broken at entry #${result.audit.seq}: ${result.audit.problem}`);
      if (problems.length > 0) throw new CliError(['the restored database does not verify:', ...problems]);
      process.stdout.write(`rcenter: counts match the recount of ${result.statements} statements; audit log intact: ${result.audit.entries} entries\n`);
      await reportLogAfterRestore(config);
    });
}

/**
 * A restored backup holds the transparency log as it was when the backup was made. If the
 * center published after that, witnesses and readers have seen a longer log, and the restored one
 * would fork from it: says so, and with WITNESSES asks them what they last cosigned.
 */
async function reportLogAfterRestore(config: Config): Promise<void> {
  const database = openDatabase({ ...config, poolSize: 1 });
  try {
    const latest = await readLatestCheckpoint(database);
    const size = latest?.size ?? 0;
    process.stdout.write(`rcenter: the transparency log in this backup ends at entry ${size}\n`);
    if (!latest || config.witnesses.length === 0) {
      process.stdout.write(
        'rcenter: if the service published anything after this backup was made, witnesses, mirrors and readers (rcenter verify --state) have seen a longer log:\n' +
          'rcenter: the next checkpoint will fork from what they saw, and they will refuse it. Recover the missing publications before serving (see README "Backup and restore").\n',
      );
      return;
    }
    const hashes = { readHashes: (indexes: readonly number[]) => readStoredHashes(database.db, indexes) };
    const outcomes = await collectCosignatures({ database, witnesses: config.witnesses, hashes, timeoutMs: 10_000, ignoreKept: true }, latest);
    const ahead = outcomes.filter((o) => o.outcome === 'ahead of the log');
    const forked = outcomes.filter((o) => o.outcome === 'forked');
    for (const o of outcomes) process.stdout.write(`rcenter: witness ${o.url}: ${o.outcome}${o.detail ? ` (${o.detail})` : ''}\n`);
    if (ahead.length > 0) {
      throw new CliError([
        `${ahead.length} witness(es) have cosigned a longer log than this backup holds: the center published after the backup was made.`,
        'Serving this database would fork the log from what witnesses and readers saw. Recover the missing publications first (README "Backup and restore").',
      ]);
    }
    if (forked.length > 0) {
      throw new CliError([
        `${forked.length} witness(es) have cosigned a log whose history differs from this backup's: this database is not the log they saw.`,
        'Do not serve it: restore the backup made last, or recover the published history from a mirror (README "Backup and restore").',
      ]);
    }
  } finally {
    await database.close();
  }
}
