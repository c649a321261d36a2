import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { defaultLogName, newLogKey, readLogKey } from '../commands/log-keys.js';
import { writeSignerKeyFile } from '../commands/signer-key-file.js';
import { isValidKeyName } from '../tlog/index.js';
import { CliError } from './cli-support.js';

/** `rcenter log keygen|key`: the transparency log's signing key. */
export function logCommand(): Command {
  const log = new Command('log').description("The transparency log's signing key (signed-note Ed25519; its name is the log's origin).");
  log
    .command('keygen')
    .description('Create a log signing key, written with mode 0600 (never over an existing file); prints its verifier key.')
    .requiredOption('--out <file>', 'where to write the signer key (then set LOG_SIGNING_KEY_FILE to it)')
    .option('--name <name>', 'key name and log origin, a schema-less URL (default: the PUBLIC_URL host + "/log", else renunciation-center.example/log)')
    .action((options: { out: string; name?: string }) => {
      const name = options.name ?? defaultLogName(loadConfig().publicUrl);
      requireKeyName(name);
      const { signerKey, verifierKey } = newLogKey(name);
      writeSignerKeyFile(options.out, signerKey);
      process.stderr.write(`rcenter: log signing key ${name} written to ${options.out} (mode 0600).\n`);
      process.stdout.write(`${verifierKey}\n`);
    });
  log
    .command('key')
    .description('Print the verifier key of the configured log key (LOG_SIGNING_KEY_FILE, else DATA_DIR/log-signing.key).')
    .action(() => {
      const config = loadConfig();
      try {
        process.stdout.write(`${readLogKey(config).verifierKey}\n`);
      } catch (error) {
        const hint = config.logSigningKeyFile ? [] : ['no log key yet? make one with rcenter log keygen --out FILE and set LOG_SIGNING_KEY_FILE=FILE'];
        throw new CliError([error instanceof Error ? error.message : String(error), ...hint]);
      }
    });
  return log;
}

/** Refuses a name that no signed-note key may have, before any file is written. */
export function requireKeyName(name: string): void {
  if (!isValidKeyName(name)) throw new CliError([`--name ${JSON.stringify(name)}: a key name must be non-empty, with no space and no "+"`]);
}
