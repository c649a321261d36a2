import { Command } from 'commander';
import { verifyAuditChain } from '../commands/audit-verifier.js';
import { auditHead } from '../storage/audit.repository.js';
import { CliError, Progress, withDatabase } from './cli-support.js';

/** `rcenter audit verify`: the audit log's hash chain, checked end to end. */
export function auditCommand(): Command {
  return new Command('audit').description('The audit log of staff actions.').addCommand(
    new Command('verify')
      .description(
        'Recompute the hash chain of the audit log and report the first entry that was altered or is missing. Exit code 0 only when the whole log is intact.',
      )
      .action(async () => {
        await withDatabase(async (database) => {
          const total = await auditHead(database.db);
          const progress = new Progress('checking', 10_000);
          let verdict;
          try {
            verdict = await verifyAuditChain(database, (checked) => progress.update(checked, total));
          } finally {
            progress.finish();
          }
          if (!verdict.ok) {
            throw new CliError([
              `audit log broken at entry #${verdict.seq}: ${verdict.problem}` +
                (verdict.entries > 0 ? ` (entries #1–#${verdict.entries} are intact)` : ''),
            ]);
          }
          process.stdout.write(`rcenter: audit log intact: ${verdict.entries} entries\n`);
        });
      }),
  );
}
