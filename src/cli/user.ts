import fs from 'node:fs';
import { Command } from 'commander';
import { createStaffUser, disableStaffUser, listStaffAccounts } from '../commands/staff-accounts.js';
import { DEFAULT_COST_LOG2 } from '../crypto/password-hasher.js';
import { ROLES } from '../domain/roles.js';
import { CLI_ACTOR, CliError, formatTable, serviceErrorLines, withDatabase } from './cli-support.js';

const ROLE_LIST = `${ROLES.slice(0, -1).join(', ')} or ${ROLES.at(-1)}`;

/** `rcenter user add|list|disable`: staff accounts. */
export function userCommand(): Command {
  return new Command('user')
    .description('Staff accounts: add, list, disable.')
    .addCommand(userAddCommand())
    .addCommand(userListCommand())
    .addCommand(userDisableCommand());
}

function userAddCommand(): Command {
  return new Command('add')
    .description(
      'Create a staff account. Admins and editors must sign in with a TOTP code too: the otpauth:// URI to enrol in an authenticator app is printed once.',
    )
    .requiredOption('--name <name>', 'user name: 2–64 letters, digits, dots, underscores or hyphens')
    .requiredOption('--role <role>', `${ROLE_LIST}`)
    .requiredOption('--password-file <file>', 'read the password from this file, or from standard input with "-" (one trailing newline is dropped); 12–256 characters, not a common one')
    .addHelpText(
      'after',
      [
        '',
        'The password is never taken from the command line (it would be seen in the process list and the shell history).',
        '',
        'Examples:',
        '  npx rcenter user add --name admin --role admin --password-file -',
        "  printf '%s' \"$PASSWORD\" | npx rcenter user add --name alice --role volunteer --password-file -",
        '  npx rcenter user add --name bob --role editor --password-file ./bob-password.txt',
      ].join('\n'),
    )
    .action(async (options: { name: string; role: string; passwordFile: string }) => {
      const passwordCostLog2 = passwordCost();
      const password = await readPassword(options.passwordFile);
      await withDatabase(async (database) => {
        let created: { id: string; totpUri: string | null };
        try {
          created = await createStaffUser(database, { name: options.name, role: options.role, password, actor: CLI_ACTOR, passwordCostLog2 });
        } catch (error) {
          serviceErrorLines(error, {
            'not_in_list:role': `Role: must be ${ROLE_LIST} (got "${options.role}").`,
            'invalid_characters:name': 'User name: use 2–64 letters, digits, dots, underscores or hyphens.',
          });
        }
        const name = options.name.normalize('NFC').trim();
        process.stdout.write(`rcenter: created ${options.role} "${name}" (id ${created.id})\n`);
        if (created.totpUri) {
          process.stdout.write(
            `rcenter: ${options.role}s sign in with a TOTP code too. Enrol this URI in an authenticator app NOW (or turn it into a QR code): it is shown only this once.\n`,
          );
          process.stdout.write(`${created.totpUri}\n`);
        }
      });
    });
}

function userListCommand(): Command {
  return new Command('list').description('List the staff accounts (never their secrets).').action(async () => {
    await withDatabase(async (database) => {
      const accounts = await listStaffAccounts(database);
      if (accounts.length === 0) {
        process.stdout.write('rcenter: no staff accounts yet (create one with `rcenter user add`)\n');
        return;
      }
      process.stdout.write(
        formatTable(
          ['name', 'role', 'totp', 'disabled', 'created (UTC)'],
          accounts.map((a) => [a.name, a.role, a.totp ? 'yes' : 'no', a.disabled ? 'yes' : 'no', minute(a.createdAt)]),
        ),
      );
    });
  });
}

function userDisableCommand(): Command {
  return new Command('disable')
    .description('Disable a staff account: its sessions end at once and its API tokens stop working.')
    .requiredOption('--name <name>', 'user name')
    .action(async (options: { name: string }) => {
      await withDatabase(async (database) => {
        try {
          await disableStaffUser(database, options.name, CLI_ACTOR);
        } catch (error) {
          serviceErrorLines(error, { not_found: `no staff user named "${options.name}"` });
        }
        process.stdout.write(`rcenter: disabled "${options.name}"; its sessions ended and its API tokens no longer work\n`);
      });
    });
}

/** `2026-11-27T10:31:12.345Z` → `2026-11-27 10:31`. */
export function minute(iso: string | null): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '';
}

/**
 * The scrypt cost for new passwords: the production default, unless RCENTER_PASSWORD_COST_LOG2
 * (undocumented, for tests; at least 14) lowers or raises it.
 */
function passwordCost(): number {
  const raw = process.env.RCENTER_PASSWORD_COST_LOG2;
  if (raw === undefined || raw === '') return DEFAULT_COST_LOG2;
  if (!/^\d+$/.test(raw) || Number(raw) < 14 || Number(raw) > 20) {
    throw new CliError([`RCENTER_PASSWORD_COST_LOG2 must be a whole number from 14 to 20 (got "${raw}")`]);
  }
  return Number(raw);
}

/** The password from a file or standard input ("-"), without one trailing newline. */
async function readPassword(source: string): Promise<string> {
  let bytes: Buffer;
  if (source === '-') {
    if (process.stdin.isTTY) return readPasswordFromTerminal();
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    bytes = Buffer.concat(chunks);
  } else {
    try {
      bytes = fs.readFileSync(source);
    } catch (error) {
      throw new CliError([`cannot read the password file ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError([`the password ${source === '-' ? 'on standard input' : `in ${source}`} is not valid UTF-8 text`]);
  }
  return text.replace(/\r?\n$/, '');
}

/** On a terminal: asks twice, without echo. */
async function readPasswordFromTerminal(): Promise<string> {
  const first = await readHiddenLine('Password (not shown): ');
  const second = await readHiddenLine('Password again: ');
  if (first !== second) throw new CliError(['the two passwords differ; nothing was created']);
  return first;
}

function readHiddenLine(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new CliError(['cancelled; nothing was created']));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
