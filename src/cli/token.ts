import { Command, InvalidArgumentError } from 'commander';
import { createApiToken, listTokens, revokeToken } from '../commands/api-tokens.js';
import { checkText } from '../domain/text-rules.js';
import { CLI_ACTOR, CliError, formatTable, serviceErrorLines, withDatabase } from './cli-support.js';
import { minute } from './user.js';

const MAX_EXPIRES_DAYS = 3650;

/** `rcenter token create|list|revoke`: bearer tokens for the staff JSON API. */
export function tokenCommand(): Command {
  return new Command('token')
    .description('Bearer tokens for the staff JSON API (Authorization: Bearer …): create, list, revoke.')
    .addCommand(tokenCreateCommand())
    .addCommand(tokenListCommand())
    .addCommand(tokenRevokeCommand());
}

function tokenCreateCommand(): Command {
  return new Command('create')
    .description('Create a token that acts as a staff user, with that user\'s role. It is printed once, alone on the last line of the output, and stored only hashed.')
    .requiredOption('--user <name>', 'the (enabled) staff user the token acts as')
    .option('--expires <days>', `expire after this many days (1–${MAX_EXPIRES_DAYS}; default: never)`, parseDays)
    .option('--label <text>', 'what the token is for, shown by `token list` (at most 100 characters)')
    .addHelpText('after', '\nExample (keep the token only in the script\'s secret store):\n  TOKEN=$(npx rcenter token create --user alice --expires 30 --label "queue bot" | tail -n 1)')
    .action(async (options: { user: string; expires?: number; label?: string }) => {
      let label: string | undefined;
      if (options.label !== undefined) {
        const checked = checkText(options.label, { max: 100, multiline: false });
        if (!checked.ok) {
          throw new CliError([
            checked.code === 'too_long' ? '--label: at most 100 characters' : '--label: one line, without control or invisible characters',
          ]);
        }
        label = checked.value || undefined;
      }
      await withDatabase(async (database) => {
        let created: { id: string; token: string; expiresAt: string | null };
        try {
          created = await createApiToken(database, { userName: options.user, expiresDays: options.expires, label, actor: CLI_ACTOR });
        } catch (error) {
          serviceErrorLines(error, { not_found: `no enabled staff user named "${options.user}"` });
        }
        const expiry = created.expiresAt ? `expires ${minute(created.expiresAt)} UTC` : 'never expires';
        process.stdout.write(`rcenter: created token ${created.id} for "${options.user}" (${expiry}). Store it now: it is shown only this once.\n`);
        process.stdout.write(`${created.token}\n`);
      });
    });
}

function tokenListCommand(): Command {
  return new Command('list').description('List the API tokens (never the secrets): id, user, label, state.').action(async () => {
    await withDatabase(async (database) => {
      const tokens = await listTokens(database);
      if (tokens.length === 0) {
        process.stdout.write('rcenter: no API tokens\n');
        return;
      }
      const now = Date.now();
      process.stdout.write(
        formatTable(
          ['id', 'user', 'state', 'created (UTC)', 'expires (UTC)', 'label'],
          tokens.map((t) => [
            t.id,
            t.user,
            t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) <= now ? 'expired' : 'active',
            minute(t.createdAt),
            t.expiresAt ? minute(t.expiresAt) : 'never',
            t.label ?? '',
          ]),
        ),
      );
    });
  });
}

function tokenRevokeCommand(): Command {
  return new Command('revoke')
    .description('Revoke a token at once (see `token list` for the ids).')
    .requiredOption('--id <id>', 'the token id')
    .action(async (options: { id: string }) => {
      await withDatabase(async (database) => {
        try {
          await revokeToken(database, options.id, CLI_ACTOR);
        } catch (error) {
          serviceErrorLines(error, { not_found: `no active token with id "${options.id}" (see \`rcenter token list\`)` });
        }
        process.stdout.write(`rcenter: revoked token ${options.id}\n`);
      });
    });
}

function parseDays(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_EXPIRES_DAYS) {
    throw new InvalidArgumentError(`a whole number of days from 1 to ${MAX_EXPIRES_DAYS}`);
  }
  return Number(value);
}
