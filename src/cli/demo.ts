import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEMO_ACCOUNTS, DemoRefused, fillDemo } from '../commands/demo-filler.js';
import { loadOrCreateLogKey } from '../commands/log-keys.js';
import { logIdentity } from '../commands/log/log-identity.js';
import { integratePending } from '../commands/log/log-sequencer.js';
import { loadConfig } from '../config.js';
import { DEMO_MAX_PEOPLE } from '../domain/demo-statements.js';
import { readPublicationHead } from '../storage/publication/publication-log.repository.js';
import type { Database } from '../storage/database.js';
import { CliError, Progress, withDatabase } from './cli-support.js';

const DEFAULT_SEED = 20261128;

const HELP_AFTER = `
WARNING: this PUBLISHES FAKE STATEMENTS. They show on every public page, in the count, in the
statistics, the feeds and the search, exactly like real ones. Never run it against a production
database. It refuses a database that already holds any submission; --append overrides that, for
adding more synthetic data to a demo database only.

Names and texts are synthetic, composed at random from fragments written for this project
(src/domain/demo-vocabulary.ts): Chinese names in real-name style and pseudonyms, some in Latin
script; texts in Simplified and Traditional Chinese and English, mostly 20-300 characters, some
long articles with a title (a few of them featured); 1-5 declarants per statement; organisations,
regions and (half of the time) occupations; publication days over six years up to today, recent
days busier. The same --seed gives the same statements (on the same day). The statements are
attributed to two disabled accounts, "${DEMO_ACCOUNTS.editor}" (who approved them) and
"${DEMO_ACCOUNTS.volunteer}" (who recorded those not sent through the website), and the audit
log records the run. The transparency log is integrated at the end, signed with the log key
that \`serve\` uses (LOG_SIGNING_KEY_FILE, else DATA_DIR/log-signing.key, created if missing), so
the demo verifies with \`rcenter verify\` as soon as it is served.

The database is SQLite under DATA_DIR (or --data-dir), or PostgreSQL when DATABASE_URL is set.

Examples:
  DATA_DIR=/tmp/rc-demo npx rcenter demo --people 10000
  npx rcenter demo --people 1000000 --data-dir /tmp/rc-demo-1m --seed 7`;

function parsePeople(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > DEMO_MAX_PEOPLE) {
    throw new InvalidArgumentError(`a whole number from 1 to ${DEMO_MAX_PEOPLE.toLocaleString('en')}`);
  }
  return value;
}

function parseSeed(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 2 ** 32 - 1) throw new InvalidArgumentError('a whole number from 0 to 4294967295');
  return value;
}

interface DemoOptions {
  people: number;
  seed: number;
  append: boolean;
  dataDir?: string;
}

/** The transparency log over everything published, with the key `serve` uses, with progress. */
async function integrateLog(database: Database): Promise<void> {
  let key;
  try {
    key = loadOrCreateLogKey(loadConfig());
  } catch (error) {
    throw new CliError([`${(error as Error).message}; the statements are published, but the transparency log is not integrated (serve does it on start)`]);
  }
  if (key.created) process.stdout.write(`rcenter: created the transparency log's signing key in ${key.file} (mode 0600)\n`);
  const log = logIdentity(key.name, { signer: key.signer, verifier: key.verifierKey });
  const head = await readPublicationHead(database);
  const progress = new Progress('transparency log', 1, process.stderr, 'entries');
  const started = Date.now();
  let size = 0;
  await integratePending(database, log, {
    onBatch: (reached) => {
      size = reached;
      progress.update(Math.min(size, head), head);
    },
  });
  progress.finish();
  process.stdout.write(`rcenter: transparency log ${log.origin} integrated: ${size.toLocaleString('en')} entries in ${((Date.now() - started) / 1000).toFixed(1)} s, verifier key ${key.verifierKey}\n`);
}

/** `rcenter demo --people N`: synthetic published statements, for trying the site and for benchmarks. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('Fill a database with synthetic PUBLISHED statements, for trying the site and for benchmarks. Never in production.')
    .requiredOption('--people <n>', `how many persons (declarants) to publish, 1 to ${DEMO_MAX_PEOPLE.toLocaleString('en')}`, parsePeople)
    .option('--seed <n>', 'seed of the generator: the same seed gives the same statements', parseSeed, DEFAULT_SEED)
    .option('--append', 'add to a database that already holds submissions (a demo database only)', false)
    .option('--data-dir <dir>', 'SQLite directory (instead of DATA_DIR); not with DATABASE_URL')
    .addHelpText('after', HELP_AFTER)
    .action(async (options: DemoOptions) => {
      if (options.dataDir !== undefined) {
        if (process.env.DATABASE_URL) throw new CliError(['--data-dir is for SQLite, but DATABASE_URL is set; give one or the other']);
        process.env.DATA_DIR = path.resolve(options.dataDir);
      }
      await withDatabase(async (database) => {
        const progress = new Progress('demo', 1, process.stderr, 'persons');
        const started = Date.now();
        let result;
        try {
          result = await fillDemo(database, {
            people: options.people,
            seed: options.seed,
            append: options.append,
            onProgress: (done, total) => progress.update(done, total),
          });
        } catch (error) {
          progress.finish();
          if (error instanceof DemoRefused) {
            throw new CliError([
              `${error.message}; nothing was written.`,
              'demo publishes fake statements and must never run against a real database. For a demo database that',
              'already holds demo data, add --append.',
            ]);
          }
          throw error;
        }
        progress.finish();
        const seconds = (Date.now() - started) / 1000;
        const where = database.dialect === 'sqlite' ? `SQLite ${database.file}` : 'PostgreSQL';
        process.stdout.write(
          `rcenter: published ${result.persons.toLocaleString('en')} synthetic persons in ${result.statements.toLocaleString('en')} statements ` +
            `(registration numbers ${result.firstNumber}–${result.lastNumber}) in ${seconds.toFixed(1)} s, seed ${options.seed}, ${where}\n`,
        );
        await integrateLog(database);
      });
    });
}
