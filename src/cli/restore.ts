import { Command } from 'commander';
import { restoreBackup } from '../commands/backup-restorer.js';
import { loadConfig } from '../config.js';
import { asCliError, stderrProgress } from './backup.js';
import { CliError } from './cli-support.js';

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
    });
}
