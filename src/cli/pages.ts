import { Command, InvalidArgumentError } from 'commander';
import { storeMissingStatementPages } from '../web/statement-pages.js';
import { Progress, withDatabase } from './cli-support.js';

function parseBatch(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 200) throw new InvalidArgumentError('a whole number from 1 to 200');
  return n;
}

/** `rcenter pages`: every published statement's page stored for this build, ahead of its readers. */
export function pagesCommand(): Command {
  return new Command('pages')
    .description(
      'Render and store the page of every published statement, in every locale, where it is missing or was rendered by ' +
        'another version of the app, so that statement pages are served from the database instead of rendered per request. ' +
        'Pages are also stored as readers ask for them; run this after an upgrade or to prepare a large database. ' +
        'Safe to run while the service is serving, and to interrupt.',
    )
    .option('--batch <n>', 'statements per transaction (1–200; while one is written, the server\'s writes wait for it)', parseBatch, 100)
    .action(async (options: { batch: number }) => {
      await withDatabase(async (database) => {
        const started = Date.now();
        const progress = new Progress('storing statement pages', 1, process.stderr, 'numbers');
        let result;
        try {
          result = await storeMissingStatementPages(database, { batch: options.batch, onProgress: (reached, highest) => progress.update(reached, highest) });
        } finally {
          progress.finish();
        }
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stdout.write(`rcenter: stored ${result.pages} pages of ${result.statements} statements (build ${result.build}) in ${seconds} s\n`);
      });
    });
}
