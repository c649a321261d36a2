import fs from 'node:fs';
import { Command } from 'commander';
import { importCsv, ImportRejected, IMPORT_COLUMNS } from '../commands/csv-import.js';
import { memberOf } from '../commands/staff-sessions.js';
import { ASSISTED_CHANNELS } from '../domain/channels.js';
import { LOCALES } from '../domain/locales.js';
import { errorMessage } from '../domain/service-error.js';
import { OCCUPATIONS } from '../domain/occupations.js';
import { ORGANIZATIONS } from '../domain/organizations.js';
import { LIMITS } from '../domain/submission.js';
import { findStaffUserByName } from '../storage/staff.repository.js';
import { CliError, printable, Progress, withDatabase } from './cli-support.js';

const NOT_UTF8 = errorMessage({ code: 'invalid_encoding' }, 'en');

/** Roles that record withdrawals on behalf of the people they talk to. */
const ENTRY_ROLES = ['volunteer', 'editor', 'admin'];

const COLUMN_HELP: Record<(typeof IMPORT_COLUMNS)[number], string> = {
  displayName: `required  the name to publish, as the person chose it (at most ${LIMITS.displayName.max} characters)`,
  nameKind: 'required  real or pseudonym',
  organizations: `required  one or more of ${ORGANIZATIONS.join(', ')}, separated by ; or |`,
  region: 'required  six-digit GB/T 2260 province code (110000 … 650000, 810000 Hong Kong,\n820000 Macau), overseas or undisclosed',
  occupation: `optional  ${wrap(OCCUPATIONS.map(([code]) => code).join(', '), 64)}`,
  channel: `required  ${ASSISTED_CHANNELS.join(', ')}`,
  consent: 'required  yes (or true, on): the person agreed to withdraw and chose\nthe name to publish',
  language: `optional  ${LOCALES.join(', ')} (default zh-hans)`,
  title: `optional  at most ${LIMITS.title.max} characters`,
  text: `optional  the statement, at most ${LIMITS.text.max.toLocaleString('en')} characters`,
};

const HELP_AFTER = [
  '',
  'The file is UTF-8 CSV (a byte-order mark is allowed): comma-separated, the first line names the',
  'columns (in any order), one person per line; quote a field that holds a comma, a quote or a line',
  'break ("like ""this"""). Columns:',
  '',
  ...IMPORT_COLUMNS.map((c) => `  ${c.padEnd(14)} ${COLUMN_HELP[c].replaceAll('\n', `\n${' '.repeat(27)}`)}`),
  '',
  'The whole file is checked first. If any row is bad nothing is written, and every bad row is',
  'reported as "line N: message" on stderr (exit code 1). Otherwise every row is written in one',
  'transaction, as a pending submission that editors review, recorded by VOLUNTEER with the channel',
  'and the consent. No receipts are issued for imported rows.',
  '',
  'Example:',
  '  displayName,nameKind,organizations,region,channel,consent',
  '  明远,pseudonym,party;youth_league,440000,phone,yes',
].join('\n');

/** Breaks a list into lines of at most `width` characters, after commas. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

/** `rcenter import FILE.csv --as VOLUNTEER`: withdrawals recorded by a volunteer, all or nothing. */
export function importCommand(): Command {
  return new Command('import')
    .description('Import withdrawals a volunteer recorded, from a CSV file: all rows or none.')
    .argument('<file>', 'the CSV file')
    .requiredOption('--as <volunteer>', 'user name of the volunteer (or editor, admin) who recorded them; must exist and be enabled')
    .addHelpText('after', HELP_AFTER)
    .action(async (file: string, options: { as: string }) => {
      let content: Buffer;
      try {
        content = fs.readFileSync(file);
      } catch (error) {
        throw new CliError([`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; nothing was imported`]);
      }
      await withDatabase(async (database) => {
        const user = await findStaffUserByName(database.db, options.as);
        if (!user) throw new CliError([`no staff user named "${options.as}" (see \`rcenter user list\`); nothing was imported`]);
        if (user.disabled) throw new CliError([`"${options.as}" is disabled; nothing was imported`]);
        if (!ENTRY_ROLES.includes(user.role)) {
          throw new CliError([`"${options.as}" is a ${user.role}: only a volunteer, editor or admin records withdrawals; nothing was imported`]);
        }
        const progress = new Progress('importing');
        let imported: number;
        try {
          imported = await importCsv(database, content, memberOf(user), (done, total) => progress.update(done, total));
        } catch (error) {
          progress.finish();
          if (!(error instanceof ImportRejected)) throw error;
          for (const problem of error.problems) {
            // Line 0: the file as a whole, before any line could be read (its encoding).
            if (problem.line > 0) process.stderr.write(`line ${problem.line}: ${printable(problem.message)}\n`);
            else if (problem.message === NOT_UTF8) process.stderr.write(`${file}: not valid UTF-8 text (save it as UTF-8 and try again)\n`);
            else process.stderr.write(`${file}: ${printable(problem.message)}\n`);
          }
          const badRows = new Set(error.problems.filter((p) => p.line > 1).map((p) => p.line)).size;
          throw new CliError([`${file}: ${badRows > 0 ? `${badRows} bad row${badRows === 1 ? '' : 's'}; ` : ''}nothing was imported`]);
        }
        progress.finish();
        process.stdout.write(`rcenter: imported ${imported} submission${imported === 1 ? '' : 's'} recorded by "${user.name}"; they wait for review\n`);
      });
    });
}
