import { Command } from 'commander';
import { purgeExpired, type RetentionReport } from '../commands/retention-purger.js';
import { loadConfig } from '../config.js';
import type { RetentionPolicy } from '../domain/retention.js';
import { CLI_ACTOR, withDatabase } from './cli-support.js';

/** `rcenter purge [--dry-run]`: the retention job, now, with a summary. */
export function purgeCommand(): Command {
  return new Command('purge')
    .description(
      'Delete what has outlived its retention period now (the server also does it every hour): rejected and duplicate ' +
        'submissions after RETENTION_REJECTED_DAYS, contact details after RETENTION_CONTACT_DAYS, the content of retracted ' +
        'statements after RETENTION_RETRACTED_DAYS, redacted originals after RETENTION_EDITS_DAYS. The counts keep their history.',
    )
    .option('--dry-run', 'only say what would be deleted', false)
    .action(async (options: { dryRun: boolean }) => {
      const { retention } = loadConfig();
      let lastProgress = Date.now();
      const onProgress = (r: RetentionReport) => {
        // A long purge says where it is every few seconds, not at every batch.
        if (Date.now() - lastProgress < 3000) return;
        lastProgress = Date.now();
        process.stderr.write(`rcenter: purged ${r.submissions} submissions, erased ${r.contacts} contact details, ${r.retracted} retracted statements and ${r.edits} redacted originals so far\n`);
      };
      await withDatabase(async (database) => {
        const report = await purgeExpired(database, retention, { actor: CLI_ACTOR, dryRun: options.dryRun, onProgress });
        process.stdout.write(summary(report, retention));
      });
    });
}

function summary(r: RetentionReport, days: RetentionPolicy): string {
  const verb = r.dryRun ? 'would delete' : 'deleted';
  return [
    `rejected and duplicate submissions (status changed before ${r.cutoffs.rejectedBefore}, ${days.rejectedDays} days): ${verb} ${r.submissions} (${r.persons} persons)`,
    `contact details (received before ${r.cutoffs.contactBefore}, ${days.contactDays} days): ${r.dryRun ? 'would erase' : 'erased'} ${r.contacts}`,
    `retracted statements' text, title, names and contact (retracted before ${r.cutoffs.retractedBefore}, ${days.retractedDays} days): ${r.dryRun ? 'would erase' : 'erased'} ${r.retracted} (they stay counted as retracted)`,
    `redacted originals of published statements (published before ${r.cutoffs.editsBefore}, ${days.editsDays} days): ${verb} ${r.edits}`,
    `answered messages (${days.messagesDays} days): ${verb} ${r.messages} (there are no conversations yet)`,
    r.dryRun ? 'dry run: nothing was changed' : r.submissions + r.contacts + r.retracted + r.edits > 0 ? 'recorded in the audit log as retention.purge' : 'nothing had expired',
  ]
    .map((line) => `rcenter: ${line}\n`)
    .join('');
}
