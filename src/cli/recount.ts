import { Command } from 'commander';
import { recountCounts } from '../commands/counts-recounter.js';
import { checkLogTally } from '../commands/log/log-tally-check.js';
import { countSubmissions } from '../storage/submission.repository.js';
import { CLI_ACTOR, CliError, Progress, withDatabase } from './cli-support.js';

/** `rcenter recount [--repair]`: the rollups checked against the base tables. */
export function recountCommand(): Command {
  return new Command('recount')
    .description(
      'Recompute every count (daily_count) from the statements themselves and print each cell that differs; ' +
        'then compare the tally of the transparency log\'s latest checkpoint with the counts. ' +
        'Exit code 0 when nothing differs (or everything was repaired), 1 when drift was found and left.',
    )
    .option('--repair', 'rewrite the counts to the recount in one transaction (writers wait) and record it in the audit log', false)
    .action(async (options: { repair: boolean }) => {
      await withDatabase(async (database) => {
        const total = await countSubmissions(database.db);
        const progress = new Progress('recounting', 10_000);
        let result;
        try {
          result = await recountCounts(database, { repair: options.repair, actor: CLI_ACTOR, onProgress: (n) => progress.update(n, total) });
        } finally {
          progress.finish();
        }
        const lines = result.differences.map(
          (d) => `${d.day} ${d.metric} ${d.dimension}${d.value ? `=${d.value}` : ''}: stored ${d.stored}, recounted ${d.recounted}`,
        );
        for (const line of lines.slice(0, 1000)) process.stdout.write(`${line}\n`);
        if (lines.length > 1000) process.stdout.write(`… and ${lines.length - 1000} more\n`);
        const log = await checkLogTally(database);
        for (const d of log.differences.slice(0, 1000)) process.stdout.write(`log ${d.figure}: checkpoint tally ${d.log}, counts ${d.rollups}\n`);
        if (log.behind > 0) process.stdout.write(`rcenter: the transparency log is ${log.behind} events behind the publication log; its tally was not compared\n`);
        else if (log.differences.length === 0) process.stdout.write(`rcenter: the tally of the log's checkpoint of size ${log.size} matches the counts\n`);
        const logProblem = log.differences.length > 0 ? [`${log.differences.length} figures of the log's checkpoint of size ${log.size} differ from the counts`] : [];
        if (result.differences.length === 0) {
          process.stdout.write(`rcenter: counts match the recount of ${result.statements} statements\n`);
        } else if (result.repaired) {
          process.stdout.write(`rcenter: repaired ${result.differences.length} cells (recorded in the audit log)\n`);
        } else {
          throw new CliError([`${result.differences.length} cells differ from the recount of ${result.statements} statements; run with --repair to fix them`, ...logProblem]);
        }
        if (logProblem.length > 0) throw new CliError(logProblem);
      });
    });
}
