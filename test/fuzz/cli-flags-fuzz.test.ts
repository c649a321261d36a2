// Fuzzing the command line in-process: every rcenter command's commander definition with its
// actions replaced (so parsing is all that runs), the option parsers it uses (--people, --seed,
// --expires), and the settings parser. Only a handful of real processes are spawned.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command, CommanderError } from 'commander';
import fc from 'fast-check';
import { demoCommand } from '../../src/cli/demo.js';
import { importCommand } from '../../src/cli/import.js';
import { tokenCommand } from '../../src/cli/token.js';
import { userCommand } from '../../src/cli/user.js';
import { decryptCommand } from '../../src/cli/decrypt.js';
import { recountCommand } from '../../src/cli/recount.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { runCli } from '../support/server-process.js';
import { fuzzOptions, hostileString } from './fuzz-support.js';

/** The commands whose flags take values, with actions that only record what they were given. */
function program(seen: { options?: unknown }): Command {
  const root = new Command('rcenter').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  for (const command of [demoCommand(), importCommand(), tokenCommand(), userCommand(), decryptCommand(), recountCommand()]) root.addCommand(command);
  const quiet = (c: Command) => {
    c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    if (c.commands.length === 0) c.action((...args: unknown[]) => void (seen.options = args.at(-2)));
    c.commands.forEach(quiet);
  };
  root.commands.forEach(quiet);
  return root;
}

const word = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('demo', 'import', 'token', 'create', 'list', 'revoke', 'user', 'add', 'disable', 'decrypt', 'recount', '--people', '--seed', '--expires', '--user', '--label', '--id', '--as', '--name', '--role', '--password-file', '--identity', '--submission', '--repair', '--append', '--data-dir', '--help', '-h', '--', '-', '--people=5') },
  { weight: 2, arbitrary: fc.constantFrom('0', '1', '10', '1000001', '4294967295', '4294967296', '-1', '1e3', '0x10', ' 7', '07', '３', '') },
  { weight: 2, arbitrary: hostileString },
);

test('every rcenter command line parses, or fails as a commander usage error (exit code 1), never a crash', () => {
  fc.assert(
    fc.property(fc.array(word, { maxLength: 7 }), (argv) => {
      const seen: { options?: unknown } = {};
      try {
        program(seen).parse(argv, { from: 'user' });
      } catch (error) {
        assert.ok(error instanceof CommanderError, `${JSON.stringify(argv)}: ${String(error)}`);
        assert.ok(error.exitCode === 1 || error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync', `${JSON.stringify(argv)}: ${error.code}`);
        return;
      }
      const options = seen.options as Record<string, unknown> | undefined;
      if (options?.people !== undefined) assert.ok(Number.isInteger(options.people) && (options.people as number) >= 1 && (options.people as number) <= 10_000_000);
      if (options?.seed !== undefined) assert.ok(Number.isInteger(options.seed) && (options.seed as number) >= 0 && (options.seed as number) <= 2 ** 32 - 1);
      if (options?.expires !== undefined) assert.ok(Number.isInteger(options.expires) && (options.expires as number) >= 1);
    }),
    fuzzOptions(0xc11),
  );
});

test('--people, --seed and --expires accept exactly whole numbers in range and refuse everything else', () => {
  const parserOf = (command: Command, long: string) => command.options.find((o) => o.long === long)!.parseArg as unknown as (raw: string) => number;
  const people = parserOf(demoCommand(), '--people');
  const seed = parserOf(demoCommand(), '--seed');
  const expires = parserOf(tokenCommand().commands.find((c) => c.name() === 'create')!, '--expires');
  const raw = fc.oneof(fc.nat().map(String), fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String), hostileString, fc.constantFrom('1.0', '1e3', ' 1', '+1', '-0', '０', '٣'));
  fc.assert(
    fc.property(raw, (value) => {
      for (const parse of [people, seed, expires]) {
        let parsed: number | undefined;
        try {
          parsed = parse(value);
        } catch (error) {
          assert.equal((error as Error).name, 'InvalidArgumentError', String(error));
          continue;
        }
        assert.match(value, /^\d+$/, 'only digits are read as a number');
        assert.equal(parsed, Number(value));
        assert.ok(Number.isSafeInteger(parsed));
      }
    }),
    fuzzOptions(0xc12),
  );
});

test('settings: any environment gives a configuration or a ConfigError listing each bad setting, never anything else', () => {
  const names = ['PORT', 'HOST', 'DATABASE_URL', 'AGE_RECIPIENTS', 'TRUST_PROXY', 'LOG_LEVEL', 'RATE_LIMITS', 'ALTCHA_HMAC_KEY', 'ALTCHA_MAX_NUMBER', 'GROUP_COMMIT_MAX_BATCH', 'PUBLIC_URL', 'OPEN_DATA_MIN_CELL', 'RATE_LIMIT_RECEIPT_PER_HOUR'];
  const env = fc.dictionary(fc.constantFrom(...names), fc.oneof(hostileString, fc.constantFrom('1', '0', '65536', 'true', 'off', 'on', 'postgres://x', 'https://example.org', 'https://example.org/path', 'age1' + 'q'.repeat(58), 'debug')));
  fc.assert(
    fc.property(env, (vars) => {
      try {
        const config = loadConfig({ DATA_DIR: '/tmp/rc-fuzz-config', ...vars });
        assert.ok(Number.isInteger(config.port) && config.port >= 0 && config.port <= 65535);
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        assert.ok(error.problems.length >= 1);
        // Each problem names a setting that was given (several bad age recipients: one line each).
        for (const problem of error.problems) assert.ok(Object.keys(vars).some((name) => problem.startsWith(name)), problem);
      }
    }),
    fuzzOptions(0xc13),
  );
});

test('a handful of hostile command lines through the real rcenter process: exit code 1, a message, no stack trace', async () => {
  for (const args of [
    ['demo', '--people', '1e3'],
    ['demo', '--people', '5', '--seed', '-1'],
    ['token', 'create', '--user', 'x', '--expires', '0x10'],
    ['import', '/nonexistent\u202e.csv', '--as', "'; drop table staff_user; --"],
    ['user', 'add', '--name', 'a', '--role', 'root', '--password-file', '/nonexistent'],
  ]) {
    const result = await runCli(args, { DATA_DIR: '/tmp/rc-fuzz-cli-none', LOG_LEVEL: 'silent' });
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    assert.ok(result.stderr.trim().length > 0, args.join(' '));
    assert.doesNotMatch(result.stderr, /\n\s+at /, `${args.join(' ')}: no stack trace\n${result.stderr}`);
  }
});
