import { Command } from 'commander';
import { BackupError, createBackup, type BackupProgress } from '../commands/backup-creator.js';
import { loadConfig } from '../config.js';
import { CliError, Progress } from './cli-support.js';

/** Progress of a backup or restore on stderr: steps as lines, copying as a bar (see Progress). */
export function stderrProgress(label: string): BackupProgress & { finish(): void } {
  const bar = new Progress(label, 1);
  return {
    step: (message) => {
      bar.finish();
      process.stderr.write(`rcenter: ${message}\n`);
    },
    amount: (done, total) => bar.update(done, total),
    finish: () => bar.finish(),
  };
}

/** Turns a refusal or failure into the CLI's error output (exit code 1). */
export function asCliError(error: unknown): never {
  if (error instanceof BackupError) throw new CliError([error.message]);
  throw error;
}

/** `rcenter backup FILE`: a consistent copy of the running service's database. */
export function backupCommand(): Command {
  return new Command('backup')
    .description(
      'Write a consistent backup of the database to FILE (mode 0600, never overwritten) while the service keeps running, ' +
        'then check it. SQLite (DATA_DIR): SQLite\'s online backup API, checked with integrity_check. PostgreSQL (DATABASE_URL): ' +
        'pg_dump --format=custom --no-owner (from PATH or /usr/lib/postgresql/*/bin). The backup holds pending statements in clear: keep it encrypted.',
    )
    .argument('<file>', 'where to write the backup')
    .action(async (file: string) => {
      const config = loadConfig();
      const progress = stderrProgress('copying');
      let result;
      try {
        result = await createBackup(config, file, progress);
      } catch (error) {
        asCliError(error);
      } finally {
        progress.finish();
      }
      const rows = Object.entries(result.rows).map(([table, n]) => `${table} ${n}`).join(', ');
      process.stdout.write(
        result.dialect === 'sqlite'
          ? `rcenter: backup written to ${result.file} (${result.bytes} bytes; integrity_check ok; rows: ${rows})\n`
          : `rcenter: backup written to ${result.file} (${result.bytes} bytes, pg_dump custom format${result.tables.length > 0 ? `; data of ${result.tables.length} tables` : ''})\n`,
      );
    });
}
